package demo

import (
	"math"
	"time"
)

// city is where groups meet or are based. Lat and Lon are the city centre.
type city struct {
	name, region, country string // country: ISO 3166-1 alpha-2
	lat, lon              float64
	zone                  string // IANA
	stdOffset             int    // hours east of UTC in winter, used only if the zone database is missing
	mailbox               string // local part of the organizations' mail address there
}

var cities = map[string]city{
	"aus":  {"Austin", "TX", "US", 30.2672, -97.7431, "America/Chicago", -6, "austin"},
	"hou":  {"Houston", "TX", "US", 29.7604, -95.3698, "America/Chicago", -6, "houston"},
	"sat":  {"San Antonio", "TX", "US", 29.4241, -98.4936, "America/Chicago", -6, "sanantonio"},
	"nyc":  {"New York", "NY", "US", 40.7128, -74.0060, "America/New_York", -5, "nyc"},
	"lax":  {"Los Angeles", "CA", "US", 34.0522, -118.2437, "America/Los_Angeles", -8, "la"},
	"chi":  {"Chicago", "IL", "US", 41.8781, -87.6298, "America/Chicago", -6, "chicago"},
	"tor":  {"Toronto", "ON", "CA", 43.6532, -79.3832, "America/Toronto", -5, "toronto"},
	"cdmx": {"Ciudad de México", "Ciudad de México", "MX", 19.4326, -99.1332, "America/Mexico_City", -6, "cdmx"},
	"gdl":  {"Guadalajara", "Jalisco", "MX", 20.6597, -103.3496, "America/Mexico_City", -6, "guadalajara"},
	"mad":  {"Madrid", "Comunidad de Madrid", "ES", 40.4168, -3.7038, "Europe/Madrid", 1, "madrid"},
	"sev":  {"Sevilla", "Andalucía", "ES", 37.3891, -5.9845, "Europe/Madrid", 1, "sevilla"},
	"lon":  {"London", "England", "GB", 51.5074, -0.1278, "Europe/London", 0, "london"},
}

// venue is a room where in-person and hybrid groups meet. The street
// addresses are plausible but invented; the position is the city centre moved
// north and east by a few kilometres, roughly towards the neighbourhood.
type venue struct {
	city            string
	address, postal string
	north, east     float64 // km from the city centre
	roomEN, roomES  string  // the room, after "meets in" / "se reúne en"
	notesEN         string
	notesES         string
	access          []string
}

var venues = map[string]venue{
	// Austin
	"aus-hosp": {city: "aus", address: "1200 Red River St, Suite 3 (community room)", postal: "78701", north: 0.9, east: 0.5,
		roomEN:  "the community room in Suite 3, just off the main lobby",
		notesEN: "Free parking in the Red River garage; bring your ticket to the front desk to have it validated. Buses stop at the corner.",
		access:  []string{"wheelchair", "hearing_loop", "parking", "transit"}},
	"aus-grief": {city: "aus", address: "4410 Manchaca Rd, Garden Room", postal: "78745", north: -6.0, east: -2.5,
		roomEN:  "the Garden Room, through the courtyard on the left",
		notesEN: "Free parking behind the building. The Garden Room is step-free from the car park, with a quiet room next door if you need a break.",
		access:  []string{"wheelchair", "parking", "quiet_space", "large_print"}},
	"aus-centro": {city: "aus", address: "2900 E Cesar Chavez St, Room 104", postal: "78702", north: -0.6, east: 3.5,
		roomEN: "Room 104 on the ground floor", roomES: "el salón 104, en la planta baja",
		notesEN: "Street parking on Cesar Chavez and a bus stop right outside.",
		notesES: "Hay estacionamiento en la calle y una parada de autobús justo enfrente.",
		access:  []string{"wheelchair", "transit", "childcare"}},
	"aus-hall": {city: "aus", address: "3710 Cedar St, Fellowship Hall (side entrance)", postal: "78705", north: 4.5, east: 0.3,
		roomEN:  "the fellowship hall (use the side door facing the parking lot)",
		notesEN: "Parking lot behind the hall; the side entrance has a ramp.",
		access:  []string{"wheelchair", "parking", "transit"}},
	"aus-peer": {city: "aus", address: "5801 N Lamar Blvd, Suite 210", postal: "78752", north: 7.0, east: 1.0,
		roomEN:  "Suite 210 on the second floor (the elevator is left of the lobby)",
		notesEN: "Free parking out front. Several bus routes run along North Lamar.",
		access:  []string{"wheelchair", "hearing_loop", "parking", "transit"}},

	// Houston
	"hou-hosp": {city: "hou", address: "6560 Fannin St, Suite 1140 (Family Resource Room)", postal: "77030", north: -6.5, east: -2.0,
		roomEN:  "the Family Resource Room on the 11th floor",
		notesEN: "Park in the visitor garage and bring your ticket for validation. The light rail stops a block away.",
		access:  []string{"wheelchair", "hearing_loop", "parking", "transit"}},
	"hou-grief": {city: "hou", address: "2315 Westheimer Rd, Room B", postal: "77098", north: -2.5, east: -4.5,
		roomEN:  "Room B at the back of the building",
		notesEN: "Free parking lot; Room B is on the ground floor.",
		access:  []string{"wheelchair", "parking", "quiet_space"}},
	"hou-hall": {city: "hou", address: "1417 Yale St, Parish Hall", postal: "77008", north: 4.5, east: -2.0,
		roomEN:  "the parish hall behind the church",
		notesEN: "Parking in the lot off 15th Street; the hall is level with the sidewalk.",
		access:  []string{"wheelchair", "parking"}},
	"hou-centro": {city: "hou", address: "7012 Harrisburg Blvd, Community Hall", postal: "77011", north: -1.5, east: 5.0,
		roomEN: "the community hall", roomES: "el salón comunitario",
		notesEN: "Free parking; the light rail stops out front.",
		notesES: "Estacionamiento gratuito; el tren ligero para justo enfrente.",
		access:  []string{"wheelchair", "parking", "transit"}},

	// San Antonio
	"sat-centro": {city: "sat", address: "1310 Guadalupe St, Salón Comunitario", postal: "78207", north: -0.8, east: -1.8,
		roomEN: "the community hall, through the courtyard", roomES: "el salón comunitario, entrando por el patio",
		notesEN: "Free parking in the lot behind the center; several bus routes stop on Guadalupe Street.",
		notesES: "Estacionamiento gratuito detrás del centro; varias rutas de autobús paran en la calle Guadalupe.",
		access:  []string{"wheelchair", "parking", "transit", "childcare"}},
	"sat-south": {city: "sat", address: "2103 S Flores St, Room 5", postal: "78204", north: -2.6, east: -0.3,
		roomEN: "Room 5 upstairs (there is an elevator)", roomES: "el salón 5, en el segundo piso (hay elevador)",
		notesEN: "Side entrance on the left; street parking.",
		notesES: "Entrada lateral a la izquierda; estacionamiento en la calle.",
		access:  []string{"wheelchair", "transit"}},

	// New York
	"nyc-peer": {city: "nyc", address: "211 W 14th St, 4th floor", postal: "10011", north: 2.8, east: 0.5,
		roomEN:  "the meeting room on the 4th floor",
		notesEN: "A short walk from the 14th Street subway stations; the building has an elevator.",
		access:  []string{"wheelchair", "hearing_loop", "transit"}},
	"nyc-hall": {city: "nyc", address: "348 E 9th St, lower level", postal: "10003", north: 1.7, east: 1.7,
		roomEN:  "the lower-level meeting room (ring the bell marked Lantern)",
		notesEN: "Three steps down at the front; the side door has a ramp, so ask if you need it.",
		access:  []string{"wheelchair", "transit"}},
	"nyc-prism": {city: "nyc", address: "412 Atlantic Ave, 2nd floor, Brooklyn", postal: "11217", north: -3.0, east: 1.8,
		roomEN:  "the lounge on the second floor",
		notesEN: "Near the Atlantic Avenue subway hub; elevator and all-gender restrooms.",
		access:  []string{"wheelchair", "transit", "quiet_space"}},

	// Los Angeles
	"lax-peer": {city: "lax", address: "2830 W Sunset Blvd, Suite 6", postal: "90026", north: 3.1, east: -2.4,
		roomEN:  "Suite 6 (up the ramp at the side of the building)",
		notesEN: "Metered street parking and a small lot behind the building.",
		access:  []string{"wheelchair", "parking"}},
	"lax-centro": {city: "lax", address: "2115 E 1st St, Room 3", postal: "90033", north: -0.8, east: 2.6,
		roomEN: "Room 3 on the ground floor", roomES: "el salón 3, en la planta baja",
		notesEN: "A short walk from the Metro station on 1st Street; free parking behind the center.",
		notesES: "A pocos pasos de la estación del Metro en la calle 1; estacionamiento gratuito detrás del centro.",
		access:  []string{"wheelchair", "parking", "transit", "childcare"}},
	"lax-hall": {city: "lax", address: "1514 W 7th St, Room 2", postal: "90017", north: 0.1, east: -2.2,
		roomEN:  "Room 2, first door on the right",
		notesEN: "Street parking; several bus lines run along 7th Street.",
		access:  []string{"wheelchair", "transit"}},
	"lax-vet": {city: "lax", address: "2250 S Figueroa St, Room 110", postal: "90007", north: -3.0, east: -1.2,
		roomEN:  "Room 110 on the ground floor",
		notesEN: "Free parking in the lot on 23rd Street.",
		access:  []string{"wheelchair", "parking", "transit"}},
	"lax-prism": {city: "lax", address: "3907 W Sunset Blvd, Suite 4", postal: "90029", north: 4.2, east: -3.4,
		roomEN:  "Suite 4 (entrance on the side street)",
		notesEN: "All-gender restrooms; metered parking nearby.",
		access:  []string{"wheelchair", "transit", "quiet_space"}},

	// Chicago
	"chi-peer": {city: "chi", address: "1950 W Division St, 2nd floor", postal: "60622", north: 2.8, east: -3.9,
		roomEN:  "the second-floor meeting room (elevator at the back)",
		notesEN: "Near the Division Blue Line stop; the elevator is at the back of the lobby.",
		access:  []string{"wheelchair", "transit"}},
	"chi-hall": {city: "chi", address: "1130 W Randolph St, Room 2B", postal: "60607", north: 0.7, east: -2.2,
		roomEN:  "Room 2B, one flight up (there is an elevator)",
		notesEN: "A short walk from the Morgan L station; the entrance is on Randolph.",
		access:  []string{"wheelchair", "hearing_loop", "transit"}},
	"chi-prism": {city: "chi", address: "2950 N Broadway, Suite 3", postal: "60657", north: 6.3, east: -1.2,
		roomEN:  "Suite 3 (accessible entrance on the south side)",
		notesEN: "Several bus routes stop on Broadway; accessible entrance on the south side.",
		access:  []string{"wheelchair", "transit", "quiet_space", "large_print"}},

	// Toronto
	"tor-spadina": {city: "tor", address: "455 Spadina Ave, Room 204", postal: "M5S 2G8", north: 0.5, east: -1.4,
		roomEN:  "Room 204 on the second floor",
		notesEN: "Take the Spadina streetcar to College Street; there is an elevator to the second floor.",
		access:  []string{"wheelchair", "hearing_loop", "transit"}},
	"tor-annex": {city: "tor", address: "720 Bathurst St, Room 3", postal: "M5S 2R4", north: 1.3, east: -2.2,
		roomEN:  "Room 3 (step-free entrance on Lennox Street)",
		notesEN: "Steps from Bathurst station; step-free entrance on Lennox Street.",
		access:  []string{"wheelchair", "transit", "childcare"}},

	// Ciudad de México
	"cdmx-roma": {city: "cdmx", address: "Calle Colima 214, Col. Roma Norte", postal: "06700", north: -1.6, east: -2.8,
		roomES:  "la sala del primer piso",
		notesES: "A dos cuadras del Metrobús; hay rampa en la entrada.",
		access:  []string{"wheelchair", "transit"}},
	"cdmx-juarez": {city: "cdmx", address: "Calle Havre 38, Col. Juárez", postal: "06600", north: -0.8, east: -3.0,
		roomES:  "la sala de la planta baja",
		notesES: "Cerca del Metro Insurgentes; la sala está en planta baja.",
		access:  []string{"wheelchair", "transit", "quiet_space"}},

	// Guadalajara
	"gdl-americana": {city: "gdl", address: "Av. Chapultepec Sur 250, Col. Americana", postal: "44160", north: 1.1, east: -2.1,
		roomES:  "la sala grande, al fondo del pasillo",
		notesES: "Hay estacionamiento público a media cuadra; la entrada tiene rampa.",
		access:  []string{"wheelchair", "parking"}},
	"gdl-centro": {city: "gdl", address: "Calle Morelos 1120, Zona Centro", postal: "44100", north: 0.3, east: -1.2,
		roomES:  "la sala de la planta baja",
		notesES: "A pocas cuadras del tren ligero; la sala está en la planta baja.",
		access:  []string{"wheelchair", "transit"}},

	// Madrid
	"mad-chamberi": {city: "mad", address: "Calle de Fuencarral 142, bajo", postal: "28010", north: 1.7, east: 0.2,
		roomES:  "la sala del fondo, a pie de calle",
		notesES: "Metro Quevedo o Bilbao; local a pie de calle, sin escalones y con bucle magnético.",
		access:  []string{"wheelchair", "hearing_loop", "transit"}},
	"mad-lavapies": {city: "mad", address: "Calle del Ave María 21, 1.º", postal: "28012", north: -0.8, east: 0.3,
		roomES:  "la sala del primer piso (hay ascensor)",
		notesES: "Metro Lavapiés o Antón Martín; el edificio tiene ascensor.",
		access:  []string{"wheelchair", "transit"}},
	"mad-delicias": {city: "mad", address: "Paseo de las Delicias 65, local 2", postal: "28045", north: -2.1, east: 0.9,
		roomES:  "el local 2, junto a la entrada",
		notesES: "Metro Delicias; sala accesible y aseo adaptado.",
		access:  []string{"wheelchair", "transit", "quiet_space"}},

	// Sevilla
	"sev-macarena": {city: "sev", address: "Calle Feria 84", postal: "41003", north: 1.0, east: -0.5,
		roomES:  "la sala del patio",
		notesES: "En la Macarena; hay paradas de autobús en la Alameda, a cinco minutos a pie.",
		access:  []string{"wheelchair", "transit"}},
	"sev-triana": {city: "sev", address: "Calle Pagés del Corro 112", postal: "41010", north: -0.7, east: -1.6,
		roomES:  "la sala de la planta baja",
		notesES: "En Triana, a diez minutos a pie del puente de Isabel II; sala en planta baja con bucle magnético.",
		access:  []string{"wheelchair", "hearing_loop", "transit"}},

	// London
	"lon-kingscross": {city: "lon", address: "212 Caledonian Road, Community Room", postal: "N1 0SQ", north: 3.6, east: 0.7,
		roomEN:  "the community room on the ground floor",
		notesEN: "Five minutes' walk from King's Cross; step-free entrance and a hearing loop.",
		access:  []string{"wheelchair", "hearing_loop", "transit"}},
	"lon-hackney": {city: "lon", address: "41 Mare Street, First Floor", postal: "E8 4RP", north: 3.3, east: 4.9,
		roomEN:  "the first-floor café room (there is a lift)",
		notesEN: "Buses stop outside; step-free, with a lift and a baby-change room.",
		access:  []string{"wheelchair", "transit", "childcare"}},
	"lon-walworth": {city: "lon", address: "150 Walworth Road, Hall 2", postal: "SE17 1JL", north: -2.0, east: 2.3,
		roomEN:  "Hall 2 on the ground floor",
		notesEN: "Near Elephant & Castle; the hall is on the ground floor.",
		access:  []string{"wheelchair", "transit"}},
}

const kmPerDegree = 111.32

// point returns the venue's position: its city centre moved by the venue's
// offset, rounded to five decimals (about a metre).
func (v venue) point() (lat, lon float64) {
	c := cities[v.city]
	lat = c.lat + v.north/kmPerDegree
	lon = c.lon + v.east/(kmPerDegree*math.Cos(c.lat*math.Pi/180))
	return round5(lat), round5(lon)
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

// zones loads each city's time zone once per directory. A machine without
// the zone database gets the city's winter offset, so the directory is still
// built; the times are then off by an hour in summer.
func zones() map[string]*time.Location {
	out := make(map[string]*time.Location, len(cities))
	for key, c := range cities {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			loc = time.FixedZone(c.zone, c.stdOffset*3600)
		}
		out[key] = loc
	}
	return out
}

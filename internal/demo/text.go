package demo

import (
	"fmt"
	"strings"

	"github.com/hearth-org/hearth"
)

// The texts below are composed per group from its format, leadership,
// membership policy, topic family and language. Where two wordings exist the
// group's position picks one, so neighbouring groups read differently.

// family names the template set a group's first topic belongs to: its own
// slug when it has a set, else its top-level area.
func family(topic string) string {
	if _, ok := flavourEN[topic]; ok {
		return topic
	}
	if t, ok := hearth.LookupTopic(topic); ok && t.Parent != "" {
		return t.Parent
	}
	return topic
}

var flavourEN = map[string][2]string{
	"chronic-illness": {
		"People at every stage are welcome, from the newly diagnosed to those who have lived with their condition for decades, and so are the people who support them.",
		"Now and then a guest from the care team joins for the last half hour to answer practical questions; most weeks we simply talk.",
	},
	"cancer": {
		"Patients, survivors and the people who love them are all welcome, whatever the stage of treatment, and it's fine to leave early if you're tired.",
		"Once a month a member of the oncology team stays for the last half hour to answer practical questions; the rest of the time belongs to the group.",
	},
	"mental-health": {
		"Nobody will ask for your diagnosis or your history; share as much or as little as you like.",
		"We talk about what helped this week and what didn't, and we leave room for quiet.",
	},
	"addiction": {
		"The meeting opens with a short reading and a moment of quiet, then people share in turn. Whether you have years of recovery or are still deciding, you belong here.",
		"Newcomers are welcomed at the start, only if they want to be, and someone will usually offer a number you can call between meetings.",
	},
	"family-of-addicted": {
		"You don't need the person you're worried about to be in recovery, or even to know you came.",
		"We talk about boundaries, worry and looking after ourselves, and we share what has helped.",
	},
	"grief": {
		"Many people say the name of the person who died, or bring a photo; there is no right way to grieve and no timeline here.",
		"Some people talk, some cry, some sit quietly the whole time; all of it is welcome.",
	},
	"pet-loss": {
		"Losing an animal companion is real grief, and nobody here will call it \"just a pet\". You're welcome to bring a photo or a story.",
		"We start by going around with our animals' names; after that the conversation goes wherever it needs to.",
	},
	"caregivers": {
		"Come whether you care for someone full time or from a distance; we keep a list of local respite and practical resources to share.",
		"Many members come straight from caregiving and leave a little lighter; bring your questions and your tiredness.",
	},
	"lgbtq": {
		"Use whatever name and pronouns feel right for you today; you don't need to be out anywhere else to be welcome here.",
		"Questioning people are welcome too, and so are allies who come to listen and support.",
	},
	"personal-development": {
		"Each meeting starts with a short theme and ends with one small thing you might try during the week, if you want to.",
		"It's a practical, friendly group: no homework and no grades, just people practising together.",
	},
}

var flavourES = map[string][2]string{
	"chronic-illness": {
		"Son bienvenidas tanto las personas recién diagnosticadas como las que llevan años conviviendo con la enfermedad, y también quienes las acompañan.",
		"De vez en cuando alguien del equipo médico se une la última media hora para resolver dudas prácticas; la mayoría de las semanas, simplemente conversamos.",
	},
	"cancer": {
		"Son bienvenidas las personas en tratamiento, las que ya lo terminaron y sus familias, y está bien irse antes si el cansancio aprieta.",
		"Una vez al mes alguien del equipo de oncología se queda la última media hora para responder preguntas prácticas; el resto del tiempo es del grupo.",
	},
	"mental-health": {
		"Nadie te va a preguntar por tu diagnóstico ni por tu historia; comparte tanto o tan poco como quieras.",
		"Hablamos de lo que nos ayudó esta semana y de lo que no, y dejamos espacio para el silencio.",
	},
	"addiction": {
		"La reunión empieza con una breve lectura y un momento de silencio; después cada persona comparte por turnos. Tanto si llevas años en recuperación como si todavía lo estás pensando, aquí tienes sitio.",
		"Al principio damos la bienvenida a quien viene por primera vez, solo si lo desea, y casi siempre alguien te ofrecerá un teléfono al que llamar entre reuniones.",
	},
	"family-of-addicted": {
		"No hace falta que la persona que te preocupa esté en recuperación, ni siquiera que sepa que viniste.",
		"Hablamos de límites, de la preocupación y de cómo cuidarnos, y compartimos lo que nos ha servido.",
	},
	"grief": {
		"Muchas personas dicen en voz alta el nombre de quien murió o traen una foto; aquí no hay una forma correcta de vivir el duelo ni un tiempo límite.",
		"Hay quien habla, quien llora y quien se queda en silencio toda la reunión; todo cabe aquí.",
	},
	"pet-loss": {
		"Perder a un animal de compañía es un duelo real, y aquí nadie te dirá que «solo era una mascota». Puedes traer una foto o una historia.",
		"Empezamos con una ronda de nombres de nuestros animales; después, la conversación va a donde tenga que ir.",
	},
	"caregivers": {
		"Puedes venir tanto si cuidas a tiempo completo como si lo haces a distancia; compartimos una lista de recursos de respiro y apoyos de la zona.",
		"Muchas personas llegan directamente de cuidar y se van un poco más ligeras; trae tus preguntas y tu cansancio.",
	},
	"lgbtq": {
		"Usa el nombre y los pronombres con los que te sientas bien hoy; no necesitas haberlo contado en ningún otro lugar para sentirte en casa aquí.",
		"También son bienvenidas las personas que se están cuestionando, y las aliadas que vienen a escuchar y apoyar.",
	},
	"personal-development": {
		"Cada reunión empieza con un tema breve y termina con un pequeño paso que puedes probar durante la semana, si quieres.",
		"Es un grupo práctico y cercano: sin deberes ni notas, solo personas practicando juntas.",
	},
}

func durationEN(m int) string {
	switch m {
	case 60:
		return "an hour"
	case 75:
		return "an hour and a quarter"
	case 90:
		return "an hour and a half"
	case 120:
		return "two hours"
	}
	return fmt.Sprintf("%d minutes", m)
}

func durationES(m int) string {
	switch m {
	case 60:
		return "una hora"
	case 75:
		return "una hora y cuarto"
	case 90:
		return "hora y media"
	case 120:
		return "dos horas"
	}
	return fmt.Sprintf("%d minutos", m)
}

// whatToExpect tells a newcomer what their first meeting will be like:
// getting there, how it opens, what the group is like, how joining works,
// how long it lasts and that it is confidential.
func whatToExpect(s spec, v venue, g hearth.Group, i int, country string) string {
	en := func() string {
		var b []string
		switch s.format {
		case hearth.InPerson:
			b = append(b, fmt.Sprintf("Come five or ten minutes early if you can: the group meets in %s, and someone will be at the door to welcome you.", v.roomEN))
		case hearth.Hybrid:
			b = append(b, fmt.Sprintf("You can come in person or join by video. In person we meet in %s; the video link is emailed to members the day before, and the facilitator makes sure people in the room and on screen take turns.", v.roomEN))
		case hearth.Online:
			b = append(b, [2]string{
				"The video link is emailed to members an hour before each meeting and appears on this page when it's time. Join a few minutes early to check your sound; camera on or off is your choice.",
				"Once you've joined, the link to the video room is on this page, and a reminder arrives by email on the day. Cameras are optional, and you can type in the chat if speaking feels like too much.",
			}[i%2])
		case hearth.Phone:
			b = append(b, "After you join, you'll receive the dial-in number and access code by email. Call a few minutes before the start; you only need a phone, and you can go by a first name or a nickname.")
		}
		if s.lead == hearth.PeerLed {
			b = append(b, [2]string{
				"A trained peer facilitator, someone who has lived this too, opens with the group's guidelines and a short round of introductions: first names only, and you can simply say you'd like to listen.",
				"The meeting is led by trained peers. After a short welcome and a reading of the guidelines everyone gets a turn; you're free to pass and just listen, especially on your first visit.",
			}[i/2%2])
		} else {
			b = append(b, [2]string{
				"The facilitator opens with a short check-in. Introductions are optional: many people spend their first visit just listening, and that is welcome.",
				"A professional facilitator guides the conversation and makes sure everyone who wants to speak gets time. Saying your name is optional, and you never have to share more than you want to.",
			}[i/2%2])
		}
		if f, ok := flavourEN[family(s.topics[0])]; ok {
			b = append(b, f[i/3%2])
		}
		if e := g.Enrollment; e != nil {
			b = append(b, fmt.Sprintf("This is a closed group: the same cohort of up to %d people meets for %d sessions, so new members join only while enrollment is open. After you apply, the facilitator will get in touch for a short, friendly conversation before the first session.", e.Cap, e.Sessions))
		} else {
			b = append(b, [2]string{
				"There's nothing to sign up for beyond joining here: come as often or as rarely as helps.",
				"It's an open group, so you can start any week and come whenever it helps.",
			}[i%2])
		}
		b = append(b, fmt.Sprintf([2]string{
			"Meetings last %s. What is shared in the group stays in the group.",
			"Each meeting lasts %s, and what people share stays with the group.",
		}[i/5%2], durationEN(s.minutes)))
		return strings.Join(b, " ")
	}
	es := func() string {
		var b []string
		switch s.format {
		case hearth.InPerson:
			b = append(b, fmt.Sprintf("Si puedes, llega cinco o diez minutos antes: el grupo se reúne en %s, y alguien te recibirá en la puerta.", or(v.roomES, v.roomEN)))
		case hearth.Hybrid:
			b = append(b, fmt.Sprintf("Puedes venir en persona o conectarte por videollamada. En persona nos reunimos en %s; el enlace de la videollamada llega por correo el día anterior, y quien facilita se asegura de que la sala y la pantalla se turnen para hablar.", or(v.roomES, v.roomEN)))
		case hearth.Online:
			b = append(b, [2]string{
				"El enlace de la videollamada llega por correo una hora antes de cada reunión y aparece en esta página cuando es la hora. Conéctate unos minutos antes para probar el audio; la cámara es opcional.",
				"Una vez que te unas, verás en esta página el enlace a la sala de videollamada, y ese mismo día te llegará un recordatorio por correo. La cámara es opcional, y puedes escribir en el chat si hablar se te hace cuesta arriba.",
			}[i%2])
		case hearth.Phone:
			b = append(b, "Al unirte recibirás por correo el número de teléfono y el código de acceso. Llama unos minutos antes; solo necesitas un teléfono y puedes presentarte con tu nombre de pila o con un apodo.")
		}
		if s.lead == hearth.PeerLed {
			b = append(b, [2]string{
				"Una persona facilitadora con formación, que ha vivido algo parecido, abre la reunión leyendo las normas del grupo y con una breve ronda de presentaciones: solo el nombre de pila, y puedes decir simplemente que hoy prefieres escuchar.",
				"La reunión la guían pares con formación. Después de una breve bienvenida y de leer las normas, cada persona tiene su turno; puedes pasar y solo escuchar, sobre todo la primera vez.",
			}[i/2%2])
		} else {
			b = append(b, [2]string{
				"La reunión empieza con una breve ronda para ver cómo llega cada persona. Presentarse es opcional: mucha gente pasa su primera reunión solo escuchando, y eso está bien.",
				"La persona profesional que facilita guía la conversación y cuida de que todos los que quieran hablar tengan su tiempo. Decir tu nombre es opcional, y nunca tienes que contar más de lo que quieras.",
			}[i/2%2])
		}
		if f, ok := flavourES[family(s.topics[0])]; ok {
			b = append(b, f[i/3%2])
		}
		if e := g.Enrollment; e != nil {
			b = append(b, fmt.Sprintf("Es un grupo cerrado: el mismo grupo de hasta %d personas se reúne durante %d sesiones, y solo se admiten personas nuevas mientras la inscripción está abierta. Después de enviar tu solicitud, quien facilita se pondrá en contacto contigo para una breve conversación antes de la primera sesión.", e.Cap, e.Sessions))
		} else {
			b = append(b, [2]string{
				"No hace falta inscribirse más allá de unirte aquí: ven tanto o tan poco como te ayude.",
				"Es un grupo abierto, así que puedes empezar cualquier semana y venir cuando lo necesites.",
			}[i%2])
		}
		b = append(b, fmt.Sprintf("Cada reunión dura %s. Lo que se comparte en el grupo se queda en el grupo.", durationES(s.minutes)))
		return strings.Join(b, " ")
	}
	switch s.lang {
	case spanish:
		return es()
	case bilingual:
		return en() + "\n\n" + es()
	}
	return en()
}

var topicRuleEN = map[string]string{
	"chronic-illness":      "We share experiences, not medical advice: questions about treatment belong with your care team.",
	"cancer":               "We share experiences, not treatment recommendations; please don't promote cures, supplements or products.",
	"mental-health":        "We don't diagnose one another or comment on anyone's medication.",
	"addiction":            "Please come to the meeting sober; if you can't today, talk to the facilitator afterwards and come back next time.",
	"family-of-addicted":   "We focus on ourselves and our own choices, not on fixing the person we love.",
	"grief":                "There is no right way or timeline to grieve, and we never compare losses.",
	"pet-loss":             "There is no right way or timeline to grieve, and no loss is too small to bring here.",
	"caregivers":           "Vent freely: nobody here judges another person's caregiving choices.",
	"lgbtq":                "Use the names and pronouns people share, and never out anyone, inside or outside the group.",
	"personal-development": "Celebrate small steps; nobody is compared or graded here.",
}

var topicRuleES = map[string]string{
	"chronic-illness":      "Compartimos experiencias, no consejos médicos: las dudas sobre el tratamiento son para tu equipo médico.",
	"cancer":               "Compartimos experiencias, no recomendaciones de tratamiento; por favor, no promociones curas, suplementos ni productos.",
	"mental-health":        "No diagnosticamos a nadie ni opinamos sobre la medicación de otras personas.",
	"addiction":            "Ven a la reunión sin haber consumido; si hoy no ha sido posible, habla con quien facilita al terminar y vuelve la próxima vez.",
	"family-of-addicted":   "Nos centramos en nosotros mismos y en nuestras decisiones, no en cambiar a la persona que queremos.",
	"grief":                "No hay una forma correcta ni un plazo para el duelo, y nunca comparamos pérdidas.",
	"pet-loss":             "No hay una forma correcta ni un plazo para el duelo, y ninguna pérdida es demasiado pequeña para traerla aquí.",
	"caregivers":           "Aquí puedes desahogarte: nadie juzga cómo cuida cada quien a su familiar.",
	"lgbtq":                "Usamos el nombre y los pronombres que cada persona comparte, y nunca revelamos la orientación ni la identidad de nadie, ni dentro ni fuera del grupo.",
	"personal-development": "Celebramos los pequeños pasos; aquí nadie compara ni pone notas.",
}

// guidelines returns the group's rules, seven numbered lines: confidentiality,
// own experience, no advice or cross-talk, phones and privacy, passing, one
// rule for the topic, and where to turn in a crisis.
func guidelines(s spec, i int, country string) string {
	teens := s.age == "teens"
	en := []string{
		[2]string{
			"What is said here stays here: we don't repeat names or stories outside the group.",
			"Confidentiality comes first: who you see here and what you hear here, stays here.",
		}[i%2],
		[2]string{
			"Speak from your own experience, and say \"I\" rather than \"you\" or \"everyone\".",
			"Share your own story; other people's stories are theirs to tell.",
		}[i/2%2],
		[2]string{
			"No advice unless someone asks for it, and no cross-talk: let each person finish without interrupting or commenting.",
			"One person speaks at a time. No cross-talk, and no advice unless it is asked for.",
		}[i/3%2],
		map[hearth.Format]string{
			hearth.InPerson: "Phones on silent, please; step outside if you need to take a call.",
			hearth.Online:   "Join from a private place where nobody can overhear, and never record, photograph or screenshot the meeting.",
			hearth.Phone:    "Call from a private place, and stay on mute while others are speaking.",
			hearth.Hybrid:   "Phones on silent in the room; online members join from a private place, and nobody records the meeting.",
		}[s.format],
		[2]string{
			"You may pass at any time; listening is taking part too.",
			"Nobody has to speak: you can always say \"pass\".",
		}[i/2%2],
		topicRuleEN[family(s.topics[0])],
		"If you are in crisis or thinking about ending your life, tell the facilitator; the \"Get help now\" link at the top of every page lists crisis lines where you are.",
	}
	mobile := "el celular"
	if country == "ES" {
		mobile = "el móvil"
	}
	es := []string{
		[2]string{
			"Lo que se dice aquí, se queda aquí: no repetimos nombres ni historias fuera del grupo.",
			"La confidencialidad va primero: a quién ves aquí y lo que escuchas aquí, aquí se queda.",
		}[i%2],
		[2]string{
			"Habla desde tu propia experiencia: di «yo» en lugar de «tú» o «todo el mundo».",
			"Comparte tu propia historia; las historias de los demás les toca contarlas a ellos.",
		}[i/2%2],
		[2]string{
			"No damos consejos si nadie los pide, y no hay diálogo cruzado: dejamos que cada persona termine sin interrumpir ni comentar.",
			"Habla una persona cada vez, sin interrupciones ni comentarios cruzados, y sin consejos que nadie haya pedido.",
		}[i/3%2],
		map[hearth.Format]string{
			hearth.InPerson: "Pon " + mobile + " en silencio; si necesitas atender una llamada, sal un momento de la sala.",
			hearth.Online:   "Conéctate desde un lugar privado donde nadie pueda escuchar, y nunca grabes, fotografíes ni hagas capturas de pantalla de la reunión.",
			hearth.Phone:    "Llama desde un lugar privado y mantén el micrófono en silencio mientras hablan otras personas.",
			hearth.Hybrid:   "En la sala, teléfonos en silencio; quienes se conectan en línea lo hacen desde un lugar privado, y nadie graba la reunión.",
		}[s.format],
		[2]string{
			"Puedes pasar tu turno cuando quieras; escuchar también es participar.",
			"Nadie está obligado a hablar: siempre puedes decir «paso».",
		}[i/2%2],
		topicRuleES[family(s.topics[0])],
		"Si estás en crisis o piensas en quitarte la vida, díselo a quien facilita; el enlace de ayuda urgente, arriba en cada página, muestra las líneas de crisis de tu país.",
	}
	if teens {
		en[0] = "What is said here stays here, unless someone is in danger: then the facilitator must tell a trusted adult."
		es[0] = "Lo que se dice aquí, se queda aquí, salvo si alguien corre peligro: entonces quien facilita debe avisar a una persona adulta de confianza."
	}
	lines := make([]string, len(en))
	for k := range en {
		lines[k] = fmt.Sprintf("%d. %s", k+1, pick(s.lang, en[k], es[k], " / "))
	}
	return strings.Join(lines, "\n")
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

package feeds

import (
	"slices"

	"github.com/hearth-org/hearth"
)

// The Meeting Guide type codes Hearth reads and writes. Only codes whose
// meaning a Hearth group can honestly carry are mapped; the rest are
// counted as not carried when importing, and never invented when exporting.
// There is no "online" code: online status is read from conference_url and
// conference_phone, as the spec says.
const (
	codeOpen        = "O"
	codeClosed      = "C"
	codeWheelchair  = "X"
	codeASL         = "ASL"
	codeLGBTQ       = "LGBTQ"
	codeWomen       = "W"
	codeMen         = "M"
	codeNonBinary   = "NB"
	codeYoung       = "Y"
	codeSeniors     = "SEN"
	codePOC         = "POC"
	codeBabysitting = "BA"
	codeTempClosed  = "TC"
	codeDigital     = "DB"
)

// languageCodes maps Hearth's languages (ISO 639-1, plus "asl") to the
// spec's codes. Chinese and Vietnamese have no code in the spec.
var languageCodes = map[string]string{
	"en":  "EN",
	"es":  "S",
	"fr":  "FR",
	"pt":  "POR",
	"ar":  "AR",
	"asl": codeASL,
}

// communityCodes maps Hearth's community tags to the spec's codes.
var communityCodes = map[string]string{
	"lgbtq":   codeLGBTQ,
	"seniors": codeSeniors,
	"bipoc":   codePOC,
}

// accessCodes maps Hearth's accessibility features to the spec's codes.
var accessCodes = map[string]string{
	"wheelchair": codeWheelchair,
	"childcare":  codeBabysitting,
}

// TypesFor returns the Meeting Guide type codes that describe a group,
// sorted: its membership policy (O open, C closed), languages, audience
// (W, M, NB, Y, SEN, LGBTQ, POC) and accessibility (X, BA, ASL).
func TypesFor(g *hearth.Group) []string {
	var out []string
	add := func(c string) {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	switch g.Policy {
	case hearth.Open:
		add(codeOpen)
	case hearth.Closed:
		add(codeClosed)
	}
	for _, l := range g.Audience.Languages {
		add(languageCodes[l])
	}
	for _, c := range g.Audience.Communities {
		add(communityCodes[c])
	}
	for _, a := range g.Accessibility {
		add(accessCodes[a])
	}
	switch g.Audience.Gender {
	case "women":
		add(codeWomen)
	case "men":
		add(codeMen)
	case "nonbinary":
		add(codeNonBinary)
	}
	switch g.Audience.AgeBand {
	case "teens", "young_adults":
		add(codeYoung)
	case "older_adults":
		add(codeSeniors)
	}
	slices.Sort(out)
	return out
}

// typeEffect is what one imported code does to a group.
type typeEffect struct {
	language  string
	community string
	access    string
	gender    string
	ageBand   string
	closed    bool // C: see applyTypes
}

var importCodes = map[string]typeEffect{
	codeOpen:        {},
	codeClosed:      {closed: true},
	codeWheelchair:  {access: "wheelchair"},
	codeBabysitting: {access: "childcare"},
	codeASL:         {language: "asl", access: "sign_language"},
	codeLGBTQ:       {community: "lgbtq"},
	"G":             {community: "lgbtq"},
	"L":             {community: "lgbtq"},
	"BI":            {community: "lgbtq"},
	"T":             {community: "lgbtq"},
	codeSeniors:     {community: "seniors"},
	codePOC:         {community: "bipoc"},
	codeWomen:       {gender: "women"},
	codeMen:         {gender: "men"},
	codeNonBinary:   {gender: "nonbinary"},
	codeYoung:       {ageBand: "young_adults"},
	"EN":            {language: "en"},
	"S":             {language: "es"},
	"FR":            {language: "fr"},
	"POR":           {language: "pt"},
	"AR":            {language: "ar"},
	codeTempClosed:  {}, // read by the row: the venue is closed, meet online
	codeDigital:     {}, // read by the row: contributions online
}

// applied is what a row's type codes say about its group.
type applied struct {
	languages   []string
	communities []string
	access      []string
	gender      string
	ageBand     string
	closed      bool
	tempClosed  bool
	digital     bool
	notCarried  []string // codes with no Hearth field
}

func applyTypes(codes []string) applied {
	var a applied
	genders := map[string]bool{}
	for _, c := range codes {
		e, ok := importCodes[c]
		if !ok {
			if !slices.Contains(a.notCarried, c) {
				a.notCarried = append(a.notCarried, c)
			}
			continue
		}
		switch c {
		case codeTempClosed:
			a.tempClosed = true
		case codeDigital:
			a.digital = true
		}
		if e.language != "" && !slices.Contains(a.languages, e.language) {
			a.languages = append(a.languages, e.language)
		}
		if e.community != "" && !slices.Contains(a.communities, e.community) {
			a.communities = append(a.communities, e.community)
		}
		if e.access != "" && !slices.Contains(a.access, e.access) {
			a.access = append(a.access, e.access)
		}
		if e.gender != "" {
			genders[e.gender] = true
		}
		if e.ageBand != "" {
			a.ageBand = e.ageBand
		}
		a.closed = a.closed || e.closed
	}
	// A meeting for women and men alike is for anyone.
	if len(genders) == 1 {
		for g := range genders {
			a.gender = g
		}
	}
	slices.Sort(a.notCarried)
	return a
}

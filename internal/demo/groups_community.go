package demo

import (
	"time"

	"github.com/hearth-org/hearth"
)

// Prism Commons: an LGBTQ+ community center.
var prismGroups = []spec{
	{
		org: "prism", slug: "coming-out-circle-lakeview", name: "Coming Out Circle — Lakeview",
		desc: "For anyone thinking about coming out, in the middle of it, or dealing with how it went. " +
			"We talk about family, faith, work and finding community, at whatever pace feels right. " +
			"You don't need to have a label figured out to come.",
		place: "chi-prism", format: inPerson, lead: peer, cred: "Trained peer facilitator, out since 2010",
		topics: []string{"coming-out"}, comm: []string{"lgbtq"}, day: time.Tuesday, at: "19:00", minutes: 90,
		access: []string{"sign_language"},
	},
	{
		org: "prism", slug: "trans-nonbinary-peer-support-brooklyn", name: "Trans and Nonbinary Peer Support — Brooklyn",
		desc: "A Saturday afternoon group run by and for trans, nonbinary and gender-questioning people. " +
			"We share resources on healthcare, name changes and work, and we talk about joy as well as struggle. " +
			"Snacks are provided and the restrooms are all-gender.",
		place: "nyc-prism", format: inPerson, lead: peer, cred: "Trained peer facilitator, trans woman and community organizer",
		topics: []string{"trans-nonbinary"}, comm: []string{"lgbtq"}, day: time.Saturday, at: "14:00", minutes: 120,
	},
	{
		org: "prism", slug: "queer-teens-online", name: "Queer Teens Online (14–18)",
		desc: "A moderated video group for LGBTQ+ and questioning teens aged 14 to 18. " +
			"We talk about school, friends, family and figuring out who you are, with a licensed social worker keeping the space safe. " +
			"You can use any name you like, and keep your camera off.",
		place: "chi", format: online, lead: pro, cred: "Licensed clinical social worker (LCSW)",
		topics: []string{"lgbtq", "coming-out"}, age: "teens", comm: []string{"lgbtq", "youth"},
		day: time.Thursday, at: "17:00", minutes: 60, access: []string{"captioning"},
	},
	{
		org: "prism", slug: "parents-families-lgbtq-kids-la", name: "Parents and Families of LGBTQ+ Kids — Los Angeles",
		desc: "For parents, grandparents and relatives whose child has come out as lesbian, gay, bisexual, transgender or queer. " +
			"Some of us arrived worried or confused; others simply want to be the best support we can. " +
			"Join us in the room or on video, and bring your questions.",
		place: "lax-prism", format: hybrid, lead: peer, cred: "Trained peer facilitator and parent of a trans daughter",
		topics: []string{"lgbtq-families"}, comm: []string{"parents"}, day: time.Sunday, at: "15:00", minutes: 90,
	},
	{
		org: "prism", slug: "lgbtq-elders-social-circle", name: "LGBTQ+ Elders Social Circle",
		desc: "An afternoon circle for LGBTQ+ people over 60 to talk, laugh and look out for one another. " +
			"Loneliness is common as friends move away or pass on, and this group is one answer to it. " +
			"We meet every other Wednesday; each afternoon has a light theme, and there is always time for whatever is on your mind.",
		place: "chi-prism", format: inPerson, lead: peer, cred: "Trained peer facilitator, retired teacher",
		topics: []string{"lgbtq", "social-skills"}, age: "older_adults", comm: []string{"lgbtq", "seniors"},
		day: time.Wednesday, at: "14:00", minutes: 90,
		rhythm: rhythm{every: 2},
	},
	{
		org: "prism", slug: "qtbipoc-wellness-circle", name: "QTBIPOC Wellness Circle",
		desc: "An online space for queer and trans Black, Indigenous and people of color to talk about stress, belonging and care. " +
			"We make room for both the heaviness and the joy of living at these intersections. " +
			"The circle is peer-led and closes each week with a short grounding practice.",
		place: "nyc", format: online, lead: peer, cred: "Trained peer facilitator and community health worker",
		topics: []string{"lgbtq", "stress"}, comm: []string{"lgbtq", "bipoc"}, day: time.Friday, at: "19:00", minutes: 90,
	},
}

// Northway Peer Support Collective: a small peer support charity in London
// and Toronto.
var northwayGroups = []spec{
	{
		org: "northway", slug: "burnout-recovery-health-care-staff-london", name: "Burnout Recovery for Health and Care Staff — London",
		desc: "A six-week group for nurses, doctors, carers, porters and everyone else who keeps health and care services running and is running on empty. " +
			"We look at what burnout does to body and mind, and at small changes that are possible within shift work. " +
			"Sessions are confidential, and nothing reaches employers.",
		place: "lon-kingscross", format: inPerson, lead: pro, cred: "HCPC-registered counselling psychologist",
		topics: []string{"stress", "resilience"}, comm: []string{"healthcare_workers"}, day: time.Tuesday, at: "18:30", minutes: 90,
		cohort: &cohort{window: accepting, cap: 10, sessions: 6},
		intake: []string{"What is your role, and where do you work?", "Are you currently off work, or working reduced hours?"},
	},
	{
		org: "northway", slug: "social-confidence-kings-cross", name: "Social Confidence Group — King's Cross",
		desc: "For young adults who find social situations hard, from small talk to speaking up in meetings. " +
			"We practise in a low-pressure way, in pairs and small groups, and talk about what gets in the way. " +
			"Most people arrive nervous, and most come back.",
		place: "lon-kingscross", format: inPerson, lead: peer, cred: "Trained peer facilitator with lived experience of social anxiety",
		topics: []string{"social-skills", "confidence"}, age: "young_adults", day: time.Thursday, at: "19:00", minutes: 90,
		cost: hearth.Fee, costNote: "£5 a session towards room hire; free if money is tight",
	},
	{
		org: "northway", slug: "veterans-peer-support-toronto", name: "Veterans Peer Support — Toronto",
		desc: "Veterans and serving members meet every Monday to talk about operational stress, the move to civilian life, family and finding purpose again. " +
			"It's a peer group, not therapy, led by people who have worn the uniform. " +
			"Spouses and partners are welcome on the last Monday of the month.",
		place: "tor-spadina", format: inPerson, lead: peer, cred: "Canadian Armed Forces veteran and trained peer support volunteer",
		topics: []string{"ptsd", "resilience"}, comm: []string{"veterans"}, day: time.Monday, at: "19:00", minutes: 90,
	},
	{
		org: "northway", slug: "building-resilience-six-weeks-toronto", name: "Building Resilience: A Six-Week Group",
		desc: "A six-week group for adults who want practical ways to cope with stress, setbacks and change. " +
			"Each session covers one skill, such as noticing thinking traps, asking for help or building small routines, and leaves plenty of time to talk. " +
			"Attend in the Annex or online.",
		place: "tor-annex", format: hybrid, lead: pro, cred: "Registered Social Worker (RSW)",
		topics: []string{"resilience", "personal-development", "stress"}, day: time.Wednesday, at: "18:00", minutes: 120,
		cohort: &cohort{window: upcoming, cap: 14, sessions: 6},
		cost:   hearth.Fee, costNote: "$20 CAD a session, on a sliding scale down to free",
		intake: []string{"Will you join in person at the Annex or online?", "What would you like to be different after the six weeks?"},
	},
	{
		org: "northway", slug: "anxiety-support-the-annex", name: "Anxiety Support — The Annex",
		desc: "A Saturday morning peer group in the Annex for adults living with anxiety of any kind. " +
			"We share what the week was like, what helped and what we want to try next. " +
			"There's tea, a quiet corner and no pressure to speak.",
		place: "tor-annex", format: inPerson, lead: peer, cred: "Trained peer facilitator with lived experience of generalized anxiety",
		topics: []string{"anxiety"}, day: time.Saturday, at: "10:30", minutes: 90,
	},
	{
		org: "northway", slug: "carers-cafe-hackney", name: "Carers' Café — Hackney",
		desc: "A friendly morning drop-in for unpaid carers in east London, including parents of disabled children and people caring for partners or elderly relatives. " +
			"Come for a cup of tea, a chat with people who get it and information about local carers' services. " +
			"Bring the little ones if you need to; there's a play corner.",
		place: "lon-hackney", format: inPerson, lead: peer, cred: "Trained peer facilitator and parent carer",
		topics: []string{"caregivers", "parents-special-needs"}, comm: []string{"parents"}, day: time.Friday, at: "10:30", minutes: 90,
	},
	{
		org: "northway", slug: "parents-special-needs-toronto", name: "Parents of Children with Special Needs — Toronto",
		desc: "For parents and guardians raising children with autism, developmental disabilities, complex medical needs or other special needs. " +
			"We trade tips on school plans, funding, respite and sleep, and we make room for the grief and pride that can come together. " +
			"Childcare is available on site with two weeks' notice.",
		place: "tor-spadina", format: inPerson, lead: peer, cred: "Trained peer facilitator and parent of an autistic son",
		topics: []string{"parents-special-needs"}, comm: []string{"parents"}, day: time.Saturday, at: "10:00", minutes: 90,
		access: []string{"childcare"},
	},
	{
		org: "northway", slug: "telephone-friendship-group-london", name: "Telephone Friendship and Support Group",
		desc: "A weekly phone group for older people who would like more company and a friendly voice. " +
			"Six to eight people dial in, catch up on the week and talk about everything from memories to the news. " +
			"It's free to call, and you don't need a computer.",
		place: "lon", format: byPhone, lead: peer, cred: "Trained peer facilitator and befriending volunteer",
		topics: []string{"social-skills", "stress"}, age: "older_adults", comm: []string{"seniors"},
		day: time.Wednesday, at: "15:00", minutes: 60, contact: "+44 20 7946 0321",
	},
	{
		org: "northway", slug: "personal-growth-circle-online", name: "Personal Growth Circle (online)",
		desc: "A Sunday evening online circle for people who want to grow in confidence, set goals that matter to them and be accountable to a small group. " +
			"Each week someone offers a theme, and we finish by naming one small step for the week ahead. " +
			"People join from across the UK and Europe.",
		place: "lon", noPoint: true, format: online, lead: peer, cred: "Trained peer facilitator and volunteer coach",
		topics: []string{"personal-development", "confidence"}, day: time.Sunday, at: "19:00", minutes: 75,
	},
}

package demo

import (
	"time"

	"github.com/hearth-org/hearth"
)

// Short names for the tables.
const (
	inPerson = hearth.InPerson
	online   = hearth.Online
	byPhone  = hearth.Phone
	hybrid   = hearth.Hybrid
	peer     = hearth.PeerLed
	pro      = hearth.ProfessionalLed
)

// Pecan Hollow Medical Center: a hospital's oncology and palliative care unit.
var healthGroups = []spec{
	{
		org: "health", slug: "breast-cancer-circle-austin", name: "Breast Cancer Support Circle — Austin",
		desc: "A circle for women living with breast cancer, from the week of diagnosis through treatment and the years after. " +
			"We talk about scans, side effects, work, family and the feelings nobody warns you about. " +
			"An oncology nurse navigator facilitates, and members often swap practical tips, like what helped with fatigue or how to tell the kids.",
		place: "aus-hosp", format: inPerson, lead: pro, cred: "Oncology nurse navigator (RN, OCN)",
		topics: []string{"cancer"}, gender: "women", day: time.Tuesday, at: "18:00", minutes: 90,
	},
	{
		org: "health", slug: "young-adults-cancer-austin", name: "Young Adults Living with Cancer (18–39)",
		desc: "Cancer in your twenties or thirties brings questions most support groups never touch: dating, fertility, finishing school, paying rent while on leave. " +
			"This group is for patients and survivors aged 18 to 39 who want to talk with people at the same stage of life. " +
			"Join in the room downtown or by video from wherever you are in treatment.",
		place: "aus-hosp", format: hybrid, lead: pro, cred: "Licensed clinical social worker (LCSW), oncology",
		topics: []string{"cancer"}, age: "young_adults", day: time.Thursday, at: "18:30", minutes: 90,
		access: []string{"captioning"},
	},
	{
		org: "health", slug: "caring-for-someone-with-cancer", name: "Caring for Someone with Cancer — Lunchtime Group",
		desc: "For spouses, partners, adult children and friends who are looking after someone with cancer. " +
			"We meet over lunch in the cancer center, so you can come between appointments. " +
			"Bring your sandwich and whatever is weighing on you.",
		place: "aus-hosp", format: inPerson, lead: pro, cred: "Oncology social worker (LMSW)",
		topics: []string{"caregivers", "cancer"}, day: time.Wednesday, at: "12:00", minutes: 60,
	},
	{
		org: "health", slug: "after-treatment-cohort-austin", name: "After Treatment: An 8-Week Survivorship Cohort",
		desc: "Finishing treatment can feel strangely lonely: the appointments stop, and everyone expects you to bounce back. " +
			"Over eight weekly sessions a small cohort works through fear of recurrence, fatigue, body changes and returning to work, with time to talk in every session. " +
			"Apply while enrollment is open, and a psychologist will call you for a short conversation before the first meeting.",
		place: "aus-hosp", format: inPerson, lead: pro, cred: "Licensed psychologist (PhD), psycho-oncology",
		topics: []string{"cancer", "resilience"}, day: time.Monday, at: "17:30", minutes: 90,
		cohort: &cohort{window: accepting, cap: 12, sessions: 8},
		intake: []string{"What kind of cancer were you treated for, and when did your treatment end?", "What would you most like help with over the eight weeks?"},
	},
	{
		org: "health", slug: "palliative-care-families-houston", name: "Palliative Care Family Support — Houston",
		desc: "For families whose loved one is receiving palliative care for a serious illness. " +
			"We make room for hard conversations about goals of care, hope, exhaustion and saying what needs to be said. " +
			"A chaplain from the palliative care team facilitates, and people of every faith and none are welcome.",
		place: "hou-hosp", format: inPerson, lead: pro, cred: "Board-certified palliative care chaplain",
		topics: []string{"caregivers", "chronic-illness"}, day: time.Saturday, at: "10:00", minutes: 90,
	},
	{
		org: "health", slug: "prostate-cancer-conversations-houston", name: "Prostate Cancer Conversations — Houston",
		desc: "Men facing prostate cancer talk frankly here about decisions, treatment side effects, intimacy and the waiting in between. " +
			"The group is led by survivors who remember how many questions they had at the start. " +
			"We meet on the second Tuesday of every month.",
		place: "hou-hosp", format: inPerson, lead: peer, cred: "Trained peer facilitator, prostate cancer survivor since 2016",
		topics: []string{"cancer"}, gender: "men", day: time.Tuesday, at: "19:00", minutes: 90,
		rhythm: rhythm{nth: 2},
	},
	{
		org: "health", slug: "cancer-support-by-phone", name: "Cancer Support by Phone",
		desc: "A telephone support group for people with cancer who live far from the hospital, can't drive during treatment or simply prefer to talk from home. " +
			"Up to ten people dial in each Friday morning for an hour of conversation with an oncology social worker. " +
			"All you need is a phone.",
		place: "aus", format: byPhone, lead: pro, cred: "Oncology social worker (LCSW)",
		topics: []string{"cancer", "chronic-illness"}, day: time.Friday, at: "11:00", minutes: 60,
		contact: "+1 512-555-0142",
	},
	{
		org: "health", slug: "living-well-type-2-diabetes-austin", name: "Living Well with Type 2 Diabetes",
		desc: "A Saturday morning group for adults managing type 2 diabetes, whether you were diagnosed last month or twenty years ago. " +
			"We share what works with meals, meters, medication routines and the frustration of numbers that won't behave. " +
			"A diabetes educator is there to answer questions, but the conversation belongs to the members.",
		place: "aus-hosp", format: inPerson, lead: pro, cred: "Certified diabetes care and education specialist (CDCES)",
		topics: []string{"diabetes"}, day: time.Saturday, at: "10:00", minutes: 90,
	},
	{
		org: "health", slug: "heart-to-heart-houston", name: "Heart to Heart: Life After a Cardiac Event",
		desc: "For people who have had a heart attack, heart surgery or a new diagnosis of heart failure, and for the people who live with them. " +
			"We talk about getting back to normal life, the fear of another event and the changes that actually stick. " +
			"Many members come straight from their cardiac rehab session downstairs. " +
			"The group meets on the 15th of each month, whatever the day of the week.",
		place: "hou-hosp", format: inPerson, lead: pro, cred: "Cardiac rehabilitation nurse (RN)",
		topics: []string{"heart-disease"}, age: "older_adults", day: time.Thursday, at: "14:00", minutes: 75,
		rhythm: rhythm{date: 15},
	},
	{
		org: "health", slug: "ms-connect-online", name: "MS Connect — Online",
		desc: "An online peer group for adults living with multiple sclerosis, in Texas and beyond. " +
			"We talk about relapses, fatigue, work, mobility aids and the invisible symptoms others don't see. " +
			"Meeting by video means nobody has to brave the heat or a long drive to be here.",
		place: "aus", format: online, lead: peer, cred: "Trained peer facilitator, living with MS since 2011",
		topics: []string{"multiple-sclerosis", "chronic-illness"}, day: time.Wednesday, at: "19:00", minutes: 75,
		access: []string{"captioning"},
	},
	{
		org: "health", slug: "chronic-pain-skills-cohort", name: "Chronic Pain Coping Skills Cohort",
		desc: "A six-session cohort for people referred by the Pecan Hollow pain clinic. " +
			"Each session pairs a short skill, such as pacing, sleep or planning for flares, with time to talk about living with pain day to day. " +
			"Members can attend in the room or by video on days when travel is too much.",
		place: "aus-hosp", format: hybrid, lead: pro, cred: "Pain psychologist (PhD)",
		topics: []string{"chronic-pain"}, day: time.Tuesday, at: "10:00", minutes: 90,
		cohort: &cohort{window: underway, cap: 10, sessions: 6}, vis: hearth.Unlisted,
		cost: hearth.Fee, costNote: "$15 a session, billed to insurance where covered; waived on request",
		intake: []string{"Which clinic or doctor referred you to this cohort?", "Is there anything we should know to make the sessions comfortable for you (seating, breaks, joining online)?"},
	},
	{
		org: "health", slug: "parkinsons-support-austin", name: "Parkinson's Support Group — Austin",
		desc: "People with Parkinson's disease and their care partners meet together for the first hour, then split into two circles so each can speak freely. " +
			"Topics range from medication timing and freezing to driving, sleep and keeping a sense of humour. " +
			"Newcomers often say the best part is meeting people who have lived well with Parkinson's for many years. " +
			"We meet on the last Friday of each month.",
		place: "aus-hosp", format: inPerson, lead: peer, cred: "Trained peer facilitator and care partner of someone with Parkinson's",
		topics: []string{"parkinsons", "caregivers"}, age: "older_adults", day: time.Friday, at: "13:00", minutes: 90,
		access: []string{"large_print"},
		rhythm: rhythm{nth: -1},
	},
	{
		org: "health", slug: "dementia-caregivers-evening-circle", name: "Dementia Caregivers Evening Circle",
		desc: "An evening group by video for people caring for a parent, partner or friend living with dementia. " +
			"It starts late enough to log on after the day's care is done. " +
			"We talk about changing behaviour, guilt, money and moving into care, and we share what has helped.",
		place: "hou", format: online, lead: pro, cred: "Licensed clinical social worker (LCSW), certified dementia practitioner",
		topics: []string{"dementia-caregivers", "dementia"}, day: time.Tuesday, at: "20:00", minutes: 60,
		access: []string{"captioning"},
	},
	{
		org: "health", slug: "oncology-staff-debrief-circle", name: "Oncology Staff Debrief Circle",
		desc: "A confidential space for nurses, physicians, aides and other staff of the Pecan Hollow cancer center to debrief after losses and hard weeks. " +
			"We meet before the morning shift, with coffee, for an hour. " +
			"Staff join through the chaplaincy office, and nothing said here reaches managers.",
		place: "aus-hosp", format: inPerson, lead: pro, cred: "Hospital chaplain and certified clinical trauma professional",
		topics: []string{"stress", "resilience"}, comm: []string{"healthcare_workers"}, day: time.Wednesday, at: "07:30", minutes: 60,
		vis: hearth.Private,
	},
}

// Kindred Minds Peer Alliance: a mental health peer chapter.
var mindGroups = []spec{
	{
		org: "mind", slug: "depression-bipolar-peer-support-austin", name: "Depression and Bipolar Peer Support — North Austin",
		desc: "A peer-led group for adults living with depression or bipolar disorder. " +
			"Everyone who facilitates has been there, and the focus is on what is getting you through this week: sleep, routines, questions for your doctor, relationships. " +
			"You can come on a good day or a bad one.",
		place: "aus-peer", format: inPerson, lead: peer, cred: "Trained peer facilitator, living with bipolar disorder since 2009",
		topics: []string{"depression", "bipolar"}, day: time.Monday, at: "19:00", minutes: 90,
	},
	{
		org: "mind", slug: "family-and-friends-austin", name: "Family & Friends Support Group — Austin",
		desc: "For parents, partners, siblings and friends of someone living with a mental health condition. " +
			"We share what we've learned about getting care, setting boundaries and staying close without burning out. " +
			"Everyone here loves someone who is struggling, so you won't have to explain.",
		place: "aus-peer", format: inPerson, lead: peer, cred: "Trained family peer facilitator; parent of an adult son with schizophrenia",
		topics: []string{"mental-health", "caregivers", "schizophrenia"}, comm: []string{"parents"},
		day: time.Thursday, at: "19:00", minutes: 90,
	},
	{
		org: "mind", slug: "anxiety-peer-support-chelsea", name: "Anxiety Peer Support — Chelsea",
		desc: "An after-work group in Chelsea for anyone living with anxiety, panic or constant worry. " +
			"We go around the circle and talk about the week, what set things off and what helped, without judgement. " +
			"If walking into a room of strangers feels like a lot, you are in exactly the right place.",
		place: "nyc-peer", format: inPerson, lead: peer, cred: "Trained peer facilitator with lived experience of panic disorder",
		topics: []string{"anxiety"}, day: time.Wednesday, at: "18:30", minutes: 90,
	},
	{
		org: "mind", slug: "young-adults-mental-health-circle-nyc", name: "Young Adults Mental Health Circle (18–29)",
		desc: "A Sunday afternoon circle for people aged 18 to 29 dealing with depression, anxiety or just a heavy season. " +
			"Students, people in their first jobs and people between things are all welcome. " +
			"Come to the room in Chelsea or join on video.",
		place: "nyc-peer", format: hybrid, lead: peer, cred: "Certified peer specialist",
		topics: []string{"mental-health", "anxiety", "depression"}, age: "young_adults", comm: []string{"students"},
		day: time.Sunday, at: "15:00", minutes: 90,
	},
	{
		org: "mind", slug: "hearing-voices-psychosis-chicago", name: "Hearing Voices and Psychosis Peer Group",
		desc: "A group where people who hear voices, see visions or have been through psychosis can talk about their experiences openly and on their own terms. " +
			"There's no pressure to use any particular diagnosis or explanation. " +
			"Members share ways of coping and of living well alongside unusual experiences.",
		place: "chi-peer", format: inPerson, lead: peer, cred: "Trained peer facilitator with lived experience of psychosis",
		topics: []string{"schizophrenia"}, day: time.Tuesday, at: "18:00", minutes: 90,
	},
	{
		org: "mind", slug: "bipolar-connection-wicker-park", name: "Bipolar Connection — Wicker Park",
		desc: "Saturday mornings for adults living with bipolar disorder. " +
			"We talk about mood tracking, work, relationships and the hard climb back after an episode. " +
			"Many members have been coming for years, and newcomers are welcomed warmly.",
		place: "chi-peer", format: inPerson, lead: peer, cred: "Trained peer facilitator, living with bipolar I",
		topics: []string{"bipolar"}, day: time.Saturday, at: "11:00", minutes: 90,
	},
	{
		org: "mind", slug: "veterans-ptsd-peer-circle-la", name: "Veterans' PTSD Peer Circle — Los Angeles",
		desc: "Veterans of every branch and era meet here to talk about trauma, sleep, anger, the move to civilian life and the things others don't always understand. " +
			"It's led by veterans, and there's no rank in the room. " +
			"Whether you deployed once or served twenty years, you'll find people who get it.",
		place: "lax-vet", format: inPerson, lead: peer, cred: "Army veteran and certified peer support specialist",
		topics: []string{"ptsd"}, comm: []string{"veterans"}, day: time.Thursday, at: "18:00", minutes: 90,
	},
	{
		org: "mind", slug: "eating-disorder-recovery-online", name: "Eating Disorder Recovery Support (online)",
		desc: "A ten-week online group for adults in recovery from anorexia, bulimia, binge eating or any other eating disorder. " +
			"Each week we talk about one theme, such as meals with others, body image or handling setbacks, in a space free of numbers, weights and diet talk. " +
			"The group works best alongside your own treatment team.",
		place: "nyc", format: online, lead: pro, cred: "Licensed professional counselor (LPC), certified eating disorder specialist",
		topics: []string{"eating-disorders"}, day: time.Monday, at: "19:30", minutes: 75,
		cohort: &cohort{window: accepting, cap: 10, sessions: 10}, access: []string{"captioning"},
		intake: []string{"Are you currently working with a therapist, dietitian or doctor on your recovery?", "What would you like to get from this group?", "Is there anything that would make joining a video group hard for you?"},
	},
	{
		org: "mind", slug: "postpartum-mood-support-online", name: "Postpartum Mood Support for New Mothers",
		desc: "For new and expecting mothers struggling with depression, anxiety or intrusive thoughts during pregnancy or in the first year after birth. " +
			"Babies are welcome on screen, and feeding, rocking or stepping away are all fine. " +
			"You'll find out quickly how many others feel exactly the way you do.",
		place: "nyc", format: online, lead: pro, cred: "Perinatal mental health certified therapist (PMH-C)",
		topics: []string{"postpartum", "anxiety", "depression"}, gender: "women", comm: []string{"parents"},
		day: time.Tuesday, at: "13:00", minutes: 60,
	},
	{
		org: "mind", slug: "depression-support-by-phone", name: "Depression Support by Phone",
		desc: "A Sunday evening phone group for people living with depression who find it hard to get out or would rather not be seen. " +
			"Callers use a first name or a nickname, and there's no video and no pressure to talk. " +
			"Sunday nights can be heavy, and it helps to spend an hour of them with people who understand.",
		place: "nyc", format: byPhone, lead: peer, cred: "Trained peer facilitator with lived experience of depression",
		topics: []string{"depression"}, day: time.Sunday, at: "19:00", minutes: 60,
		contact: "+1 212-555-0188",
	},
	{
		org: "mind", slug: "depression-anxiety-silver-lake", name: "Depression & Anxiety Peer Group — Silver Lake",
		desc: "A midweek peer group on the Eastside for adults living with depression, anxiety or both. " +
			"Each meeting begins with a short check-in round and moves into open sharing. " +
			"We're a mixed, friendly crowd, and it's fine to come once just to see.",
		place: "lax-peer", format: inPerson, lead: peer, cred: "Trained peer facilitator with lived experience of depression and anxiety",
		topics: []string{"depression", "anxiety"}, day: time.Wednesday, at: "19:00", minutes: 90,
	},
	{
		org: "mind", slug: "sunday-morning-peer-support-online", name: "Sunday Morning Mental Health Peer Support",
		desc: "An online peer group open to anyone living with a mental health condition, whatever the diagnosis and wherever you are. " +
			"We start the week together with a check-in, open sharing and a few minutes at the end to name one thing to look after in the days ahead. " +
			"Cameras on or off, as you prefer.",
		place: "nyc", noPoint: true, format: online, lead: peer, cred: "Trained peer facilitator, in mental health recovery since 2013",
		topics: []string{"mental-health"}, day: time.Sunday, at: "10:00", minutes: 90,
	},
	{
		org: "mind", slug: "teen-mental-health-circle-chicago", name: "Teen Mental Health Circle (14–17)",
		desc: "An eight-week after-school group for teenagers dealing with anxiety, low mood or stress at school. " +
			"Teens learn a few practical coping tools and, more importantly, find out they're not the only ones. " +
			"A parent or guardian signs the consent form, but what teens share stays in the group unless someone's safety is at risk.",
		place: "chi-peer", format: inPerson, lead: pro, cred: "Licensed clinical professional counselor (LCPC)",
		topics: []string{"mental-health", "anxiety", "depression"}, age: "teens", comm: []string{"youth", "students"},
		day: time.Wednesday, at: "16:30", minutes: 75,
		cohort: &cohort{window: upcoming, cap: 10, sessions: 8},
		intake: []string{"How old are you, and which school do you go to?", "We ask a parent or guardian to sign a consent form: does one of them know you are applying?"},
	},
}

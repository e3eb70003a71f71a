package demo

import (
	"time"

	"github.com/hearth-org/hearth"
)

const basketUS = "A basket is passed for the rent; give only if you can"

// Lantern Recovery Intergroup: peer-run recovery meetings.
var recoveryGroups = []spec{
	{
		org: "recovery", slug: "early-morning-recovery-hyde-park", name: "Early Morning Recovery — Hyde Park",
		desc: "A before-work meeting for anyone who wants to stop drinking or using, or to stay stopped. " +
			"Coffee is on by quarter to seven, and we finish in time for the commute. " +
			"All paths to recovery are respected here.",
		place: "aus-hall", format: inPerson, lead: peer, cred: "Trained peer facilitator, in recovery since 2014",
		topics: []string{"addiction", "alcohol", "drugs"}, day: time.Monday, at: "07:00", minutes: 60,
		cost: hearth.Donation, costNote: basketUS,
	},
	{
		org: "recovery", slug: "women-in-recovery-saturday-austin", name: "Women in Recovery — Saturday Morning",
		desc: "A Saturday morning meeting for women in recovery from alcohol or other drugs, whether you have one day or twenty years. " +
			"We talk openly about shame, motherhood, relationships and rebuilding trust. " +
			"Childcare is available in the next room if you book by Thursday.",
		place: "aus-hall", format: inPerson, lead: peer, cred: "Trained peer facilitator, in recovery since 2011",
		topics: []string{"addiction", "alcohol"}, gender: "women", day: time.Saturday, at: "09:30", minutes: 90,
		cost: hearth.Donation, costNote: basketUS, access: []string{"childcare"},
	},
	{
		org: "recovery", slug: "gamblers-in-recovery-houston", name: "Gamblers in Recovery — The Heights",
		desc: "For anyone whose betting, casino trips, online games or sports apps have got out of hand. " +
			"We talk honestly about debt, secrecy and the pull of the next bet, and we share the practical steps that helped us stop. " +
			"Nobody here will judge how much you lost.",
		place: "hou-hall", format: inPerson, lead: peer, cred: "Trained peer facilitator, free from gambling since 2017",
		topics: []string{"gambling"}, day: time.Tuesday, at: "19:30", minutes: 90,
		cost: hearth.Donation, costNote: basketUS,
	},
	{
		org: "recovery", slug: "opioid-recovery-west-loop", name: "Opioid Recovery Support — West Loop",
		desc: "A group for people recovering from opioid use, including those taking medication for opioid use disorder, who are fully welcome here. " +
			"We talk about cravings, rebuilding routines, family and staying alive. " +
			"Naloxone kits are available at every meeting, no questions asked.",
		place: "chi-hall", format: inPerson, lead: peer, cred: "Certified peer recovery specialist (CPRS)",
		topics: []string{"drugs"}, day: time.Thursday, at: "18:00", minutes: 90,
	},
	{
		org: "recovery", slug: "east-village-evening-recovery", name: "East Village Evening Recovery Meeting",
		desc: "A Friday night meeting for people in recovery from alcohol and drugs, held at the hour the week used to go wrong. " +
			"It's a lively, welcoming room with a mix of old-timers and newcomers. " +
			"Stay for coffee afterwards if you like.",
		place: "nyc-hall", format: inPerson, lead: peer, cred: "Trained peer facilitator, in recovery since 2008",
		topics: []string{"alcohol", "drugs"}, day: time.Friday, at: "20:00", minutes: 60,
		cost: hearth.Donation, costNote: basketUS,
	},
	{
		org: "recovery", slug: "families-of-people-with-addiction-la", name: "Families and Friends of People with Addiction — Los Angeles",
		desc: "For anyone who loves someone with a drinking or drug problem: parents, partners, adult children, friends. " +
			"We focus on our own wellbeing, learn to set limits with love and stop carrying the weight alone. " +
			"You're welcome whether your person is using, in treatment or in recovery.",
		place: "lax-hall", format: inPerson, lead: peer, cred: "Trained family peer facilitator",
		topics: []string{"family-of-addicted"}, day: time.Monday, at: "19:00", minutes: 90,
		cost: hearth.Donation, costNote: basketUS,
	},
	{
		org: "recovery", slug: "loving-someone-with-addiction-online", name: "Loving Someone with an Addiction (online)",
		desc: "An evening video group for family members worried about someone's drinking or drug use. " +
			"A counselor helps us understand addiction and treatment options, and members share what has and hasn't worked at home. " +
			"Many parents join after a long day of phone calls and worry.",
		place: "aus", format: online, lead: pro, cred: "Licensed chemical dependency counselor (LCDC)",
		topics: []string{"family-of-addicted", "caregivers"}, comm: []string{"parents"},
		day: time.Wednesday, at: "20:00", minutes: 75, access: []string{"captioning"},
		publish: true,
	},
	{
		org: "recovery", slug: "quit-together-smoking-vaping", name: "Quit Together: Smoking and Vaping Cessation Cohort",
		desc: "A six-week lunchtime cohort for people ready to quit cigarettes, vapes or other nicotine. " +
			"We set a shared quit date, plan for cravings and triggers, and check in with each other every week. " +
			"The facilitator can advise on nicotine replacement and other medicines that help.",
		place: "chi", format: online, lead: pro, cred: "Certified tobacco treatment specialist (CTTS)",
		topics: []string{"smoking"}, day: time.Tuesday, at: "12:15", minutes: 60,
		cohort: &cohort{window: accepting, cap: 15, sessions: 6},
		intake: []string{"What do you use now (cigarettes, vapes, pouches or something else), and about how much a day?", "Have you tried to quit before? What happened?"},
	},
	{
		org: "recovery", slug: "recovery-by-phone-saturday-night", name: "Recovery by Phone — Saturday Late Night",
		desc: "Saturday night can be the hardest night of the week in early recovery. " +
			"This phone meeting gives you somewhere to be at ten o'clock, with people who know the feeling. " +
			"Dial in from your car, your porch or your bed.",
		place: "chi", format: byPhone, lead: peer, cred: "Trained peer facilitator, in recovery since 2012",
		topics: []string{"addiction", "alcohol", "drugs"}, day: time.Saturday, at: "22:00", minutes: 60,
		contact: "+1 312-555-0119",
		publish: true,
	},
	{
		org: "recovery", slug: "islington-recovery-circle", name: "Islington Recovery Circle",
		desc: "A Wednesday evening recovery group near King's Cross for anyone affected by their own drinking or drug use. " +
			"We welcome all pathways: mutual aid, treatment, medication or none of the above. " +
			"Tea, biscuits and a warm welcome are guaranteed.",
		place: "lon-kingscross", format: inPerson, lead: peer, cred: "Trained peer facilitator, in recovery since 2015",
		topics: []string{"alcohol", "drugs"}, day: time.Wednesday, at: "19:00", minutes: 90,
		cost: hearth.Donation, costNote: "Suggested £2 towards room hire; never expected",
	},
	{
		org: "recovery", slug: "gambling-recovery-southwark", name: "Gambling Recovery Group — Southwark",
		desc: "For anyone in London who wants to stop gambling, whether it's betting shops, online slots or football accumulators. " +
			"We share honestly about money, lies and the relief of finally telling someone. " +
			"Family members can come with you to your first meeting.",
		place: "lon-walworth", format: inPerson, lead: peer, cred: "Trained peer facilitator, gambling-free since 2019",
		topics: []string{"gambling"}, day: time.Monday, at: "18:30", minutes: 90,
	},
	{
		org: "recovery", slug: "young-people-in-recovery-online", name: "Young People in Recovery (18–30) — Online",
		desc: "An online meeting for people aged 18 to 30 in recovery from alcohol or drugs. " +
			"We talk about sober social lives, school and work, dating and parents, in words that fit our lives. " +
			"Newcomers are welcome, including people who aren't sure yet whether they want to stop.",
		place: "lax", format: online, lead: peer, cred: "Trained peer facilitator, in recovery since age 22",
		topics: []string{"addiction", "drugs", "alcohol"}, age: "young_adults", day: time.Sunday, at: "18:00", minutes: 75,
		publish: true,
	},
	{
		org: "recovery", slug: "recovery-and-faith-houston-heights", name: "Recovery and Faith — Houston Heights",
		desc: "A Sunday evening recovery group for people who want their faith to be part of their recovery. " +
			"We read a short passage, pray if we wish and share honestly about the week. " +
			"People of any tradition, or of none, are welcome to sit in.",
		place: "hou-hall", format: hybrid, lead: peer, cred: "Trained peer facilitator and lay minister, in recovery since 2010",
		topics: []string{"addiction"}, comm: []string{"faith_based"}, day: time.Sunday, at: "17:00", minutes: 90,
		cost: hearth.Donation, costNote: basketUS,
	},
}

// Harborlight Hospice & Grief Center.
var griefGroups = []spec{
	{
		org: "grief", slug: "grief-support-south-austin", name: "Grief Support Group — South Austin",
		desc: "A weekly group for adults grieving the death of anyone they love, whether it was last month or years ago. " +
			"We share stories, talk about the hard days and the holidays, and learn what grief does to sleep, memory and concentration. " +
			"An ASL interpreter joins every meeting.",
		place: "aus-grief", format: inPerson, lead: pro, cred: "Licensed clinical social worker (LCSW), bereavement specialist",
		topics: []string{"grief"}, day: time.Tuesday, at: "18:30", minutes: 90,
		access: []string{"sign_language"},
		cancel: "No meeting this week: the centre is closed for staff training. We meet again at the usual time the following Tuesday.",
	},
	{
		org: "grief", slug: "widowed-too-soon-austin", name: "Widowed Too Soon — Austin",
		desc: "For people who have lost a spouse or partner well before retirement age, often while raising children or building careers. " +
			"We talk about solo parenting, money, friends who drift away and the strange question of whether to date again. " +
			"You'll be among people who know how lonely this kind of grief can feel.",
		place: "aus-grief", format: inPerson, lead: peer, cred: "Trained peer facilitator, widowed in 2017",
		topics: []string{"loss-of-partner"}, age: "adults", day: time.Thursday, at: "19:00", minutes: 90,
	},
	{
		org: "grief", slug: "parents-who-lost-a-child-austin", name: "Parents Who Have Lost a Child — Austin",
		desc: "A gathering for mothers and fathers whose child has died, at any age and from any cause. " +
			"We say our children's names here, and we make room for anger, guilt, numbness and the memories we treasure. " +
			"Some parents come for years; others come a few times and find that is enough.",
		place: "aus-grief", format: inPerson, lead: peer, cred: "Trained peer facilitator and bereaved mother",
		topics: []string{"loss-of-child"}, comm: []string{"parents"}, day: time.Monday, at: "19:00", minutes: 120,
	},
	{
		org: "grief", slug: "eight-weeks-through-grief-austin", name: "Eight Weeks Through Grief — Austin Cohort",
		desc: "A structured eight-week group for adults in the first year or two after a death. " +
			"Each session has a theme, from the story of the loss to anniversaries and carrying love forward, with plenty of time to talk. " +
			"The same small group meets every week, so trust grows quickly.",
		place: "aus-grief", format: inPerson, lead: pro, cred: "Bereavement counselor (MA, LPC)",
		topics: []string{"grief", "loss-of-parent"}, day: time.Wednesday, at: "18:00", minutes: 90,
		cohort: &cohort{window: accepting, cap: 10, sessions: 8},
		intake: []string{"Who died, and how long ago?", "Have you been in a grief group before?"},
	},
	{
		org: "grief", slug: "pet-loss-support-austin", name: "Pet Loss Support — Austin",
		desc: "When a dog, cat or other companion dies, the grief can be as deep as any loss, and not everyone understands. " +
			"This Sunday afternoon group gives you room to tell your animal's story and to talk about euthanasia decisions, guilt and the empty house. " +
			"Join in person or by video.",
		place: "aus-grief", format: hybrid, lead: peer, cred: "Trained peer facilitator and retired veterinary technician",
		topics: []string{"pet-loss"}, day: time.Sunday, at: "14:00", minutes: 60,
	},
	{
		org: "grief", slug: "survivors-of-suicide-loss-houston", name: "Survivors of Suicide Loss — Houston",
		desc: "For people who have lost someone to suicide, whether a family member, partner, friend or colleague. " +
			"The questions, the guilt and the silence around suicide make this loss different, and here you can talk about all of it. " +
			"The group is co-led by a counselor who has lived this loss herself.",
		place: "hou-grief", format: inPerson, lead: pro, cred: "Licensed professional counselor (LPC) and suicide-loss survivor",
		topics: []string{"loss-to-suicide"}, day: time.Thursday, at: "19:00", minutes: 90,
	},
	{
		org: "grief", slug: "grief-after-long-illness-houston", name: "Grief After a Long Illness — Houston Cohort",
		desc: "A six-week group for people whose loved one died after months or years of illness, often after a long stretch of caregiving. " +
			"We talk about the relief and guilt that can arrive together, the loss of a daily role, and how to rest. " +
			"Families of Harborlight hospice patients are invited first, and others are welcome while seats remain.",
		place: "hou-grief", format: inPerson, lead: pro, cred: "Hospice bereavement coordinator (LMSW)",
		topics: []string{"grief", "caregivers"}, day: time.Saturday, at: "10:00", minutes: 90,
		cohort: &cohort{window: underway, cap: 12, sessions: 6},
		intake: []string{"Who did you care for, and when did they die?", "Were they cared for by our hospice?"},
	},
	{
		org: "grief", slug: "evening-grief-circle-online", name: "Evening Grief Circle (online)",
		desc: "A Monday evening video group for adults grieving any kind of death, wherever they live. " +
			"We begin with a short round: your first name, the name of the person you are missing and how the week has been. " +
			"Many members join from home with a cup of tea and a photo nearby.",
		place: "aus", format: online, lead: pro, cred: "Licensed clinical social worker (LCSW), bereavement specialist",
		topics: []string{"grief"}, day: time.Monday, at: "19:00", minutes: 75,
		access: []string{"captioning"},
	},
	{
		org: "grief", slug: "widowed-parents-online", name: "Widowed Parents Online",
		desc: "For mothers and fathers raising children after the death of a spouse or partner. " +
			"It starts after bedtime, so you can join once the house is quiet. " +
			"We talk about children's grief, school, single parenting and our own loss, which so often gets pushed to last.",
		place: "hou", format: online, lead: peer, cred: "Trained peer facilitator and widowed father of three",
		topics: []string{"loss-of-partner"}, comm: []string{"parents"}, day: time.Wednesday, at: "20:30", minutes: 60,
	},
	{
		org: "grief", slug: "losing-a-parent-online", name: "Losing a Parent: Adult Children's Grief Group",
		desc: "A six-week lunchtime group for adults whose mother or father has died. " +
			"We talk about the complicated feelings that can come with it, clearing out the house, family tensions and suddenly being the older generation. " +
			"Sessions are short enough to fit into a workday.",
		place: "aus", format: online, lead: pro, cred: "Bereavement counselor (MA, LPC)",
		topics: []string{"loss-of-parent"}, day: time.Thursday, at: "12:00", minutes: 60,
		cohort: &cohort{window: upcoming, cap: 12, sessions: 6},
		intake: []string{"Which parent died, and how long ago?", "Is there anything you would like the facilitator to know before the first session?"},
	},
	{
		org: "grief", slug: "after-a-suicide-online", name: "After a Suicide: Online Support for Survivors",
		desc: "An online peer group for anyone bereaved by suicide, including people far from an in-person group or not ready to be seen. " +
			"We share the why questions, the guilt and the anniversaries, and the small things that make the days bearable. " +
			"You can keep your camera off and just listen for as long as you need.",
		place: "aus", format: online, lead: peer, cred: "Trained peer facilitator; lost her brother to suicide in 2015",
		topics: []string{"loss-to-suicide"}, day: time.Sunday, at: "17:00", minutes: 90,
	},
	{
		org: "grief", slug: "pregnancy-and-infant-loss-online", name: "Pregnancy and Infant Loss Support (online)",
		desc: "For parents who have been through miscarriage, stillbirth, termination for medical reasons or the death of a baby. " +
			"Mothers, fathers and partners are all welcome, together or on their own. " +
			"We honour babies however long they lived, and there's no wrong way to feel about your loss.",
		place: "aus", format: online, lead: pro, cred: "Perinatal bereavement nurse (RN)",
		topics: []string{"loss-of-child"}, comm: []string{"parents"}, day: time.Tuesday, at: "20:00", minutes: 60,
		access: []string{"captioning"},
	},
	{
		org: "grief", slug: "pet-loss-circle-online", name: "Pet Loss Circle (online)",
		desc: "A gentle Saturday morning group by video for anyone grieving an animal companion. " +
			"Tell us about your dog, cat, horse or bird, and hear from others who loved theirs just as much. " +
			"New members are welcome any week.",
		place: "aus", noPoint: true, format: online, lead: peer, cred: "Trained peer facilitator and volunteer at an animal shelter",
		topics: []string{"pet-loss"}, day: time.Saturday, at: "11:00", minutes: 60,
	},
	{
		org: "grief", slug: "grief-support-by-phone-older-adults", name: "Grief Support by Phone for Older Adults",
		desc: "A telephone group for people over 65 who have lost a husband, wife, partner, sibling or close friend. " +
			"Calling in is simple and free, and you can join from your armchair. " +
			"Many members were widowed after long marriages and find comfort in talking with people walking the same road.",
		place: "aus", format: byPhone, lead: pro, cred: "Licensed master social worker (LMSW), gerontology",
		topics: []string{"grief", "loss-of-partner"}, age: "older_adults", comm: []string{"seniors"},
		day: time.Friday, at: "10:00", minutes: 60, contact: "+1 512-555-0173",
	},
	{
		org: "grief", slug: "teen-grief-group-austin", name: "Teen Grief Group (13–17) — Austin",
		desc: "An eight-week group for teenagers whose parent, sibling, grandparent or friend has died. " +
			"We mix conversation with art, music and memory projects, because not everything can be said out loud. " +
			"A parent or guardian comes to a short information evening before the group starts.",
		place: "aus-grief", format: inPerson, lead: pro, cred: "Licensed professional counselor (LPC), child and adolescent grief specialist",
		topics: []string{"grief", "loss-of-parent"}, age: "teens", comm: []string{"youth"},
		day: time.Tuesday, at: "16:30", minutes: 75,
		cohort: &cohort{window: upcoming, cap: 8, sessions: 8},
		intake: []string{"Who died, and how long ago?", "What is the name and phone number of the parent or guardian who will sign the consent form?"},
	},
	{
		org: "grief", slug: "mens-grief-group-online", name: "Men's Grief Group (online)",
		desc: "A video group where men can talk about losing a wife, partner, child, parent or friend without having to hold it together. " +
			"Plenty of men don't say much at first, and that's fine. " +
			"We keep it straightforward: honest talk, no fixing and no judgement.",
		place: "hou", format: online, lead: peer, cred: "Trained peer facilitator, widowed in 2019",
		topics: []string{"grief"}, gender: "men", day: time.Thursday, at: "20:00", minutes: 75,
	},
	{
		org: "grief", slug: "grief-circle-healthcare-workers", name: "Grief Circle for Healthcare Workers",
		desc: "A six-week online circle for nurses, doctors, aides and other healthcare workers carrying the deaths of patients, colleagues or their own loved ones. " +
			"It meets late enough to join after a day shift. " +
			"The link is shared through hospital staff channels, so members can talk freely with peers who understand the work.",
		place: "aus", format: online, lead: pro, cred: "Hospital chaplain (MDiv, BCC)",
		topics: []string{"grief", "stress"}, comm: []string{"healthcare_workers"}, day: time.Wednesday, at: "21:00", minutes: 60,
		cohort: &cohort{window: accepting, cap: 12, sessions: 6}, vis: hearth.Unlisted,
		intake: []string{"Where do you work, and in what role?", "What losses are you carrying from your work right now?"},
	},
	{
		org: "grief", slug: "hospice-caregivers-coffee-hour", name: "Hospice Caregivers Coffee Hour",
		desc: "A coffee hour every other Friday for people caring for someone on hospice at home. " +
			"We talk about what the last weeks can look like, how to ask for help and how to look after yourself in the middle of it. " +
			"A volunteer can sit with your loved one so you can come; ask when you join.",
		place: "aus-grief", format: inPerson, lead: pro, cred: "Hospice social worker (LMSW)",
		topics: []string{"caregivers"}, day: time.Friday, at: "10:00", minutes: 60,
		rhythm: rhythm{every: 2},
	},
}

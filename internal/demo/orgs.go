package demo

// org is one demo organization. Every name is invented; domains are under
// example.org or example.com.
type org struct {
	key         string
	slug        string
	name        string
	description string
	domain      string // website host and the domain of the groups' mail addresses
	contact     string
}

var orgs = []org{
	{
		key:  "health",
		slug: "pecan-hollow-oncology",
		name: "Pecan Hollow Medical Center — Oncology & Palliative Care",
		description: "The oncology and palliative care unit of a community hospital in Central Texas. " +
			"Our nurses, social workers, psychologists and chaplains run support groups for patients, families and staff, " +
			"in Austin and Houston and by phone or video. Every group is free to patients of any hospital.",
		domain:  "pecanhollow.example.org",
		contact: "support-groups@pecanhollow.example.org",
	},
	{
		key:  "mind",
		slug: "kindred-minds",
		name: "Kindred Minds Peer Alliance",
		description: "A grassroots mental health alliance of people living with mental health conditions and the families who love them. " +
			"Our chapters in Austin, New York, Chicago and Los Angeles run free peer-led support groups, " +
			"with a few groups led by licensed clinicians.",
		domain:  "kindredminds.example.org",
		contact: "hello@kindredminds.example.org",
	},
	{
		key:  "recovery",
		slug: "lantern-recovery-intergroup",
		name: "Lantern Recovery Intergroup",
		description: "An intergroup that supports independent, peer-run recovery meetings for alcohol, drugs, gambling and nicotine, " +
			"and for the families affected. We welcome every pathway to recovery, and our meetings are free or run on small donations.",
		domain:  "lanternrecovery.example.org",
		contact: "+1 512-555-0110",
	},
	{
		key:  "grief",
		slug: "harborlight-hospice",
		name: "Harborlight Hospice & Grief Center",
		description: "A non-profit hospice and community grief center serving Central and Southeast Texas. " +
			"Anyone who is grieving can join our groups, in person in Austin and Houston or online and by phone, " +
			"whether or not their loved one was in hospice care.",
		domain:  "harborlight.example.org",
		contact: "+1 512-555-0160",
	},
	{
		key:  "centro",
		slug: "centro-raices",
		name: "Centro Comunitario Raíces · Roots Community Center",
		description: "A bilingual community center serving Latino families in Texas and California, with support groups in Spanish and in English. " +
			"Un centro comunitario bilingüe al servicio de las familias latinas de Texas y California, con grupos de apoyo en español y en inglés.",
		domain:  "centroraices.example.org",
		contact: "hola@centroraices.example.org",
	},
	{
		key:  "farolillo",
		slug: "asociacion-farolillo",
		name: "Asociación Farolillo de Ayuda Mutua",
		description: "Asociación sin ánimo de lucro que impulsa grupos de ayuda mutua en Madrid y Sevilla, y en línea para toda España. " +
			"Los grupos son gratuitos o de aportación voluntaria, salvo algunos talleres, que reservan plazas gratuitas para quien las necesite.",
		domain:  "farolillo.example.org",
		contact: "grupos@farolillo.example.org",
	},
	{
		key:  "ceiba",
		slug: "red-ceiba",
		name: "Red Ceiba de Grupos de Apoyo",
		description: "Una red de grupos de apoyo en la Ciudad de México y Guadalajara, coordinada por voluntarias, " +
			"profesionales de la salud mental y personas con experiencia propia. Todos nuestros grupos son gratuitos.",
		domain:  "redceiba.example.org",
		contact: "contacto@redceiba.example.org",
	},
	{
		key:  "prism",
		slug: "prism-commons",
		name: "Prism Commons LGBTQ+ Community Center",
		description: "A community center for LGBTQ+ people and their families, with peer support groups in Chicago, Brooklyn and Los Angeles and online. " +
			"Every group is free, and every name and pronoun is respected.",
		domain:  "prismcommons.example.com",
		contact: "groups@prismcommons.example.com",
	},
	{
		key:  "northway",
		slug: "northway-peer-support",
		name: "Northway Peer Support Collective",
		description: "A small charity that trains volunteers to run peer support groups in London and Toronto. " +
			"Our groups are for carers, veterans, health and care staff, and anyone who wants more confidence and connection.",
		domain:  "northway.example.org",
		contact: "hello@northway.example.org",
	},
}

package demo

import (
	"time"

	"github.com/hearth-org/hearth"
)

// Centro Comunitario Raíces: a bilingual community center in Texas and
// California, with groups in Spanish and in both languages.
var centroGroups = []spec{
	{
		org: "centro", slug: "viviendo-con-diabetes-san-antonio", name: "Viviendo con Diabetes — San Antonio",
		desc: "Un grupo en español para personas que viven con diabetes y para sus familias. " +
			"Hablamos de la comida de siempre y de cómo adaptar las recetas de casa, de la insulina y del cansancio de cuidarse todos los días. " +
			"Una vez al mes cocinamos algo juntos y compartimos la receta.",
		place: "sat-centro", format: inPerson, lead: pro, cred: "Educadora en diabetes certificada (CDCES) y promotora de salud",
		topics: []string{"diabetes"}, lang: spanish, comm: []string{"latinx"}, day: time.Saturday, at: "10:00", minutes: 90,
	},
	{
		org: "centro", slug: "circulo-de-duelo-austin", name: "Círculo de Duelo en Español — Austin",
		desc: "Un espacio en español para quienes han perdido a un ser querido, hace poco o hace años. " +
			"Compartimos recuerdos, hablamos de los días difíciles y de cómo vivir el duelo lejos de la familia y del país de origen. " +
			"Puedes traer una foto o una vela para el altar que ponemos al inicio de cada reunión.",
		place: "aus-centro", format: inPerson, lead: pro, cred: "Trabajadora social clínica (LCSW), bilingüe",
		topics: []string{"grief"}, lang: spanish, comm: []string{"latinx"}, day: time.Monday, at: "18:30", minutes: 90,
	},
	{
		org: "centro", slug: "mamas-en-calma-san-antonio", name: "Mamás en Calma: Ansiedad y Estrés",
		desc: "Un grupo para mamás que viven con ansiedad, preocupación constante o agotamiento. " +
			"Hablamos de la crianza, del trabajo, de la familia y de la presión de hacerlo todo. " +
			"Hay cuidado de niños gratuito en el salón de al lado mientras dura la reunión.",
		place: "sat-centro", format: inPerson, lead: pro, cred: "Psicóloga clínica bilingüe (LPC)",
		topics: []string{"anxiety", "stress"}, lang: spanish, gender: "women", comm: []string{"latinx", "parents"},
		day: time.Wednesday, at: "10:00", minutes: 90,
	},
	{
		org: "centro", slug: "familias-unidas-salud-mental-la", name: "Familias Unidas: Mental Health in the Family / Salud Mental en la Familia",
		desc: "A bilingual group for families with a loved one living with depression, bipolar disorder, psychosis or another mental health condition. " +
			"We share what we've learned about getting help and staying close. " +
			"Un grupo bilingüe para familias que acompañan a un ser querido con una enfermedad mental. " +
			"Aquí nadie tiene que explicar por qué está cansado.",
		place: "lax-centro", format: hybrid, lead: peer, cred: "Trained family peer facilitator, bilingual English–Spanish",
		topics: []string{"mental-health", "caregivers"}, lang: bilingual, comm: []string{"latinx", "parents"},
		day: time.Tuesday, at: "19:00", minutes: 90,
	},
	{
		org: "centro", slug: "cuidando-a-mama-y-papa", name: "Cuidando a Mamá y Papá / Caring for Aging Parents",
		desc: "For adult children caring for aging parents, often while working and raising kids of their own. " +
			"We talk about memory loss, medical appointments and sharing the load among siblings. " +
			"Para hijas e hijos que cuidan a sus padres mayores mientras trabajan y crían a sus propios hijos. " +
			"Hablamos de la pérdida de memoria, de las citas médicas y de cómo repartir el cuidado entre hermanos.",
		place: "sat-centro", format: inPerson, lead: pro, cred: "Licensed master social worker (LMSW), bilingual / trabajadora social bilingüe",
		topics: []string{"caregivers", "dementia-caregivers"}, lang: bilingual, comm: []string{"latinx"},
		day: time.Thursday, at: "18:00", minutes: 90,
	},
	{
		org: "centro", slug: "apoyo-por-telefono-depresion-soledad", name: "Apoyo por Teléfono: Depresión y Soledad",
		desc: "Un grupo por teléfono para personas mayores que se sienten tristes, solas o sin ánimo. " +
			"Solo necesitas un teléfono: llamas al número, saludas con tu nombre de pila y escuchas o compartes, como prefieras. " +
			"Muchas personas dicen que esta llamada es lo mejor de su semana.",
		place: "sat", format: byPhone, lead: peer, cred: "Facilitadora de pares capacitada, con experiencia propia de depresión",
		topics: []string{"depression", "social-skills"}, lang: spanish, age: "older_adults", comm: []string{"latinx", "seniors"},
		day: time.Tuesday, at: "11:00", minutes: 60, contact: "+1 210-555-0126",
	},
	{
		org: "centro", slug: "familias-con-orgullo-houston", name: "Familias con Orgullo / Families with Pride — Houston",
		desc: "For Latino parents and families of LGBTQ+ children of any age who want to understand, accept and support them. " +
			"We talk about faith, culture, what the relatives will say and, above all, love. " +
			"Para madres, padres y familias latinas de hijas e hijos LGBTQ+ que quieren comprender y acompañar. " +
			"Hablamos de fe, de cultura, del qué dirán y, sobre todo, de amor.",
		place: "hou-centro", format: inPerson, lead: peer, cred: "Trained peer facilitator, mother of a gay son / madre de un hijo gay",
		topics: []string{"lgbtq-families"}, lang: bilingual, comm: []string{"latinx", "parents", "lgbtq"},
		day: time.Sunday, at: "16:00", minutes: 90,
	},
	{
		org: "centro", slug: "recuperacion-en-familia-boyle-heights", name: "Recuperación en Familia — Boyle Heights",
		desc: "Un grupo en español para personas que quieren dejar el alcohol y para sus familiares. " +
			"La primera hora compartimos todos juntos y después nos dividimos en dos círculos: uno para quienes están en recuperación y otro para las familias. " +
			"Aquí se habla claro, con respeto y sin vergüenza.",
		place: "lax-centro", format: inPerson, lead: peer, cred: "Facilitador de pares capacitado, en recuperación desde 2013",
		topics: []string{"alcohol", "family-of-addicted"}, lang: spanish, comm: []string{"latinx"},
		day: time.Friday, at: "19:00", minutes: 90,
		cost: hearth.Donation, costNote: "Se pasa una canasta para la renta del salón; da solo si puedes",
	},
	{
		org: "centro", slug: "duelo-y-esperanza-en-linea", name: "Duelo y Esperanza (en línea)",
		desc: "Un grupo por videollamada para personas que viven un duelo y prefieren hablarlo en español. " +
			"Hablamos de la pérdida de madres, padres, parejas y amistades, y también de quienes murieron lejos sin que pudiéramos despedirnos. " +
			"Puedes participar desde cualquier lugar, con la cámara encendida o apagada.",
		place: "sat", format: online, lead: pro, cred: "Psicóloga clínica bilingüe, especialista en duelo",
		topics: []string{"grief", "loss-of-parent"}, lang: spanish, comm: []string{"latinx"},
		day: time.Thursday, at: "19:30", minutes: 75,
	},
	{
		org: "centro", slug: "juntos-contra-el-cancer", name: "Juntos contra el Cáncer / Together Against Cancer",
		desc: "A bilingual group for people with cancer and the relatives who go with them to every appointment. " +
			"We help each other make sense of treatment plans, insurance and the emotions that come with a diagnosis. " +
			"Un grupo bilingüe para personas con cáncer y para los familiares que las acompañan a cada cita. " +
			"Se puede venir en persona o conectarse por video.",
		place: "sat-centro", format: hybrid, lead: pro, cred: "Oncology patient navigator, bilingual / navegadora de pacientes oncológicos, bilingüe",
		topics: []string{"cancer"}, lang: bilingual, comm: []string{"latinx"}, day: time.Saturday, at: "12:30", minutes: 90,
	},
	{
		org: "centro", slug: "positivamente-vih", name: "Positivamente: HIV Peer Support / Grupo de Apoyo VIH",
		desc: "A bilingual peer group for people living with HIV, whether newly diagnosed or long-term survivors. " +
			"We talk about treatment, disclosure, stigma, relationships and living fully. " +
			"Un grupo bilingüe entre pares para personas que viven con VIH. " +
			"Todo lo que se comparte aquí es confidencial.",
		place: "sat-south", format: inPerson, lead: peer, cred: "Trained peer facilitator living with HIV since 2005 / facilitador de pares con VIH desde 2005",
		topics: []string{"hiv"}, lang: bilingual, comm: []string{"latinx", "lgbtq"}, day: time.Wednesday, at: "19:00", minutes: 90,
	},
}

// Asociación Farolillo de Ayuda Mutua: mutual aid groups in Madrid and Sevilla.
var farolilloGroups = []spec{
	{
		org: "farolillo", slug: "grupo-de-duelo-chamberi", name: "Grupo de Duelo — Chamberí",
		desc: "Un grupo cerrado de ocho sesiones para personas adultas que han perdido a un ser querido y sienten que necesitan hablarlo con gente que lo entiende. " +
			"Nos reunimos un martes sí y otro no por la tarde en Chamberí, en una sala tranquila y acogedora, siempre con las mismas personas. " +
			"No importa cuánto tiempo haya pasado: el duelo no tiene calendario.",
		place: "mad-chamberi", format: inPerson, lead: pro, cred: "Psicóloga sanitaria especializada en duelo",
		topics: []string{"grief"}, lang: spanish, day: time.Tuesday, at: "18:30", minutes: 90,
		rhythm: rhythm{every: 2}, cohort: &cohort{window: accepting, cap: 10, sessions: 8},
		intake: []string{"¿A quién has perdido y cuánto tiempo hace?", "¿Has participado antes en algún grupo de duelo?", "¿Puedes comprometerte a venir a las ocho sesiones, un martes sí y otro no?"},
	},
	{
		org: "farolillo", slug: "ansiedad-ayuda-mutua-lavapies", name: "Ansiedad: Grupo de Ayuda Mutua — Lavapiés",
		desc: "Un grupo de ayuda mutua para jóvenes de 18 a 35 años que conviven con ansiedad, ataques de pánico o preocupación constante. " +
			"Compartimos lo que nos pasa y lo que nos funciona, desde la respiración hasta cómo pedir ayuda en el trabajo o en la universidad. " +
			"Si te cuesta entrar en una sala llena de gente, avísanos y te esperamos en la puerta.",
		place: "mad-lavapies", format: inPerson, lead: peer, cred: "Facilitadora de ayuda mutua con formación y experiencia propia de ansiedad",
		topics: []string{"anxiety"}, lang: spanish, age: "young_adults", day: time.Wednesday, at: "19:00", minutes: 90,
	},
	{
		org: "farolillo", slug: "jugadores-en-recuperacion-madrid", name: "Jugadores en Recuperación — Madrid",
		desc: "Para personas que quieren dejar las apuestas deportivas, las tragaperras, el casino en línea o cualquier otro juego. " +
			"Hablamos sin rodeos de las deudas, de las mentiras y del alivio de contarlo por fin. " +
			"Los familiares pueden acompañarte en tu primera reunión.",
		place: "mad-lavapies", format: inPerson, lead: peer, cred: "Facilitador de pares, sin jugar desde 2016",
		topics: []string{"gambling"}, lang: spanish, day: time.Thursday, at: "19:30", minutes: 90,
		cost: hearth.Donation, costNote: "Aportación voluntaria para el alquiler de la sala",
	},
	{
		org: "farolillo", slug: "cuidadores-alzheimer-sevilla", name: "Cuidadoras y Cuidadores de Personas con Alzhéimer — Sevilla",
		desc: "Un grupo para quienes cuidan de un familiar con alzhéimer u otra demencia. " +
			"Hablamos del cansancio, de la culpa, de los cambios de carácter y de los recursos que ofrece la ciudad, como los centros de día. " +
			"Mientras dura la reunión, voluntarias de la asociación pueden acompañar a tu familiar en la sala de al lado. " +
			"Nos reunimos el primer martes de cada mes.",
		place: "sev-macarena", format: inPerson, lead: pro, cred: "Trabajadora social clínica",
		topics: []string{"dementia-caregivers", "dementia"}, lang: spanish, day: time.Tuesday, at: "17:00", minutes: 90,
		rhythm: rhythm{nth: 1},
	},
	{
		org: "farolillo", slug: "mujeres-cancer-de-mama-triana", name: "Mujeres con Cáncer de Mama — Triana",
		desc: "Un grupo cerrado de diez sesiones para mujeres en tratamiento por cáncer de mama o que acaban de terminarlo. " +
			"Trabajamos el miedo, la imagen corporal, la vuelta al trabajo y la relación con la pareja y los hijos. " +
			"Las plazas son limitadas para que el grupo sea pequeño y de confianza.",
		place: "sev-triana", format: inPerson, lead: pro, cred: "Enfermera de oncología y psicooncóloga",
		topics: []string{"cancer"}, lang: spanish, gender: "women", day: time.Thursday, at: "11:00", minutes: 90,
		cohort: &cohort{window: accepting, cap: 12, sessions: 10},
		intake: []string{"¿En qué momento del tratamiento estás (quimioterapia, radioterapia, cirugía o ya has terminado)?", "¿Qué te gustaría encontrar en el grupo?"},
	},
	{
		org: "farolillo", slug: "vivir-sin-alcohol-sevilla", name: "Vivir sin Alcohol — Sevilla",
		desc: "Un grupo de ayuda mutua para personas que quieren dejar de beber o mantenerse sin alcohol. " +
			"Los viernes por la noche, cuando más cuesta, nos juntamos para hablar con sinceridad de lo que vivimos. " +
			"Da igual si llevas un día o diez años: aquí tienes sitio.",
		place: "sev-macarena", format: inPerson, lead: peer, cred: "Facilitador de pares, sin beber desde 2012",
		topics: []string{"alcohol"}, lang: spanish, day: time.Friday, at: "20:00", minutes: 90,
	},
	{
		org: "farolillo", slug: "madres-y-padres-en-duelo-en-linea", name: "Madres y Padres en Duelo (en línea)",
		desc: "Un encuentro por videollamada para madres y padres a quienes se les ha muerto un hijo o una hija, a cualquier edad y por cualquier causa. " +
			"Aquí decimos sus nombres en voz alta y hablamos de ellos sin miedo. " +
			"Se conectan familias de toda España y de Latinoamérica.",
		place: "mad", format: online, lead: peer, cred: "Facilitadora de pares, madre en duelo",
		topics: []string{"loss-of-child"}, lang: spanish, comm: []string{"parents"}, day: time.Sunday, at: "18:00", minutes: 90,
	},
	{
		org: "farolillo", slug: "esclerosis-multiple-encuentro-en-linea", name: "Esclerosis Múltiple: Encuentro en Línea",
		desc: "Un grupo por videollamada para personas con esclerosis múltiple que quieren compartir cómo llevan el día a día. " +
			"Hablamos de brotes, fatiga, trabajo, tratamientos y de los síntomas que no se ven. " +
			"Participar desde casa ahorra desplazamientos en los días malos.",
		place: "sev", format: online, lead: peer, cred: "Facilitadora de pares, con esclerosis múltiple desde 2010",
		topics: []string{"multiple-sclerosis"}, lang: spanish, day: time.Saturday, at: "11:00", minutes: 75,
		access: []string{"captioning"},
	},
	{
		org: "farolillo", slug: "salir-del-armario-madrid", name: "Salir del Armario: Grupo LGTBI+ — Madrid",
		desc: "Un grupo para personas jóvenes que están pensando en salir del armario, acaban de hacerlo o lo viven a medias. " +
			"Hablamos de familia, amistades, trabajo, religión y de cómo cuidarnos en el proceso. " +
			"Ven tal como eres, con el nombre y los pronombres que prefieras.",
		place: "mad-chamberi", format: inPerson, lead: peer, cred: "Facilitador de pares con formación en diversidad sexual y de género",
		topics: []string{"coming-out", "lgbtq"}, lang: spanish, age: "young_adults", comm: []string{"lgbtq"},
		day: time.Friday, at: "19:00", minutes: 90,
	},
	{
		org: "farolillo", slug: "taller-grupal-de-autoestima-sevilla", name: "Taller Grupal de Autoestima — Sevilla",
		desc: "Un grupo cerrado de ocho sesiones para trabajar la autoestima, la autocrítica y la forma de poner límites. " +
			"Cada sesión combina una breve explicación, ejercicios en parejas y tiempo para compartir. " +
			"Es un espacio práctico y cercano, sin exámenes ni deberes obligatorios.",
		place: "sev-triana", format: inPerson, lead: pro, cred: "Psicólogo sanitario",
		topics: []string{"confidence", "personal-development"}, lang: spanish, day: time.Monday, at: "18:00", minutes: 120,
		cohort: &cohort{window: underway, cap: 10, sessions: 8},
		cost:   hearth.Fee, costNote: "20 € por sesión; hay plazas gratuitas para quien lo necesite",
		intake: []string{"¿Qué te ha llevado a buscar este taller ahora?", "¿Estás en tratamiento psicológico o psiquiátrico en este momento?"},
	},
	{
		org: "farolillo", slug: "dolor-cronico-fibromialgia-madrid", name: "Dolor Crónico y Fibromialgia — Madrid",
		desc: "Para personas que conviven con dolor crónico, fibromialgia o fatiga crónica. " +
			"Compartimos trucos para el día a día, cómo hablar con los médicos y cómo explicar a los demás un dolor que no se ve. " +
			"Puedes venir a la sala o conectarte por videollamada si ese día no puedes salir de casa.",
		place: "mad-delicias", format: hybrid, lead: peer, cred: "Facilitadora de pares, con fibromialgia desde 2008",
		topics: []string{"chronic-pain"}, lang: spanish, day: time.Tuesday, at: "11:00", minutes: 90,
	},
}

// Red Ceiba de Grupos de Apoyo: free groups in Mexico City and Guadalajara.
var ceibaGroups = []spec{
	{
		org: "ceiba", slug: "apoyo-depresion-roma-norte", name: "Grupo de Apoyo para la Depresión — Roma Norte",
		desc: "Un grupo de pares para personas adultas que viven con depresión. " +
			"Nos reunimos cada martes por la tarde para platicar de cómo nos fue en la semana, qué nos ayudó y qué no. " +
			"Aquí nadie te va a decir que le eches ganas: te vamos a escuchar.",
		place: "cdmx-roma", format: inPerson, lead: peer, cred: "Facilitadora de pares capacitada, con experiencia propia de depresión",
		topics: []string{"depression"}, lang: spanish, day: time.Tuesday, at: "19:00", minutes: 90,
	},
	{
		org: "ceiba", slug: "diabetes-en-familia-guadalajara", name: "Diabetes en Familia — Guadalajara",
		desc: "Un grupo para personas con diabetes y para los familiares que cocinan, acompañan y se preocupan con ellas. " +
			"Platicamos de alimentación, de medicamentos, de cómo cuidar los pies y de cómo no rendirse cuando los números no bajan. " +
			"Cada sábado hay café de olla y una receta nueva para compartir.",
		place: "gdl-americana", format: inPerson, lead: pro, cred: "Nutrióloga y educadora en diabetes",
		topics: []string{"diabetes"}, lang: spanish, day: time.Saturday, at: "10:00", minutes: 90,
	},
	{
		org: "ceiba", slug: "vivir-con-vih-cdmx", name: "Vivir con VIH — Grupo de Pares",
		desc: "Un espacio entre pares para personas que viven con VIH, desde quienes recibieron el diagnóstico hace unas semanas hasta quienes llevan décadas. " +
			"Hablamos de tratamiento, de cómo y a quién contarlo, del estigma y de la vida en pareja. " +
			"Todo lo que se dice aquí es confidencial.",
		place: "cdmx-juarez", format: inPerson, lead: peer, cred: "Facilitador de pares, vive con VIH desde 2004",
		topics: []string{"hiv"}, lang: spanish, comm: []string{"lgbtq"}, day: time.Thursday, at: "18:00", minutes: 90,
	},
	{
		org: "ceiba", slug: "familias-ante-las-adicciones-guadalajara", name: "Familias ante las Adicciones — Guadalajara",
		desc: "Para madres, padres, parejas y hermanos de personas que consumen alcohol u otras drogas. " +
			"Aprendemos sobre la adicción y el tratamiento y, sobre todo, aprendemos a cuidarnos sin dejar de querer. " +
			"No necesitas que tu familiar esté en tratamiento para venir.",
		place: "gdl-centro", format: inPerson, lead: pro, cred: "Psicólogo con especialidad en adicciones",
		topics: []string{"family-of-addicted", "drugs"}, lang: spanish, comm: []string{"parents"},
		day: time.Wednesday, at: "18:30", minutes: 90,
	},
	{
		org: "ceiba", slug: "sobrevivientes-perdida-suicidio-cdmx", name: "Sobrevivientes de Pérdida por Suicidio — CDMX",
		desc: "Un grupo para quienes han perdido a alguien por suicidio. " +
			"Aquí se puede hablar de las preguntas sin respuesta, de la culpa y del silencio que muchas veces rodea esta pérdida. " +
			"Lo acompaña una tanatóloga con muchos años de experiencia en duelo.",
		place: "cdmx-roma", format: inPerson, lead: pro, cred: "Tanatóloga y psicoterapeuta",
		topics: []string{"loss-to-suicide"}, lang: spanish, day: time.Monday, at: "19:00", minutes: 90,
	},
	{
		org: "ceiba", slug: "cuidadores-que-se-cuidan-en-linea", name: "Cuidadores que se Cuidan (en línea)",
		desc: "Un grupo por videollamada para personas que cuidan a un familiar enfermo, con discapacidad o de edad avanzada. " +
			"Hablamos del cansancio, de pedir ayuda y de encontrar un rato para una misma o uno mismo. " +
			"La reunión es a las ocho de la noche, cuando la casa suele estar más tranquila.",
		place: "cdmx", format: online, lead: pro, cred: "Psicóloga clínica, especialista en personas cuidadoras",
		topics: []string{"caregivers", "stress"}, lang: spanish, day: time.Wednesday, at: "20:00", minutes: 60,
	},
	{
		org: "ceiba", slug: "parkinson-pacientes-y-familias-guadalajara", name: "Parkinson: Pacientes y Familias — Guadalajara",
		desc: "Personas con párkinson y sus familiares se reúnen cada viernes para compartir experiencias y aprender juntas. " +
			"Hablamos de medicamentos, ejercicio, caídas, ánimo y del papel de la familia. " +
			"Algunas sesiones incluyen una breve rutina de ejercicio adaptado.",
		place: "gdl-americana", format: inPerson, lead: pro, cred: "Neuróloga y trabajadora social",
		topics: []string{"parkinsons", "caregivers"}, lang: spanish, age: "older_adults", day: time.Friday, at: "11:00", minutes: 90,
	},
	{
		org: "ceiba", slug: "diversidad-trans-no-binaria-cdmx", name: "Diversidad Trans y No Binaria — CDMX",
		desc: "Un espacio seguro para personas trans, no binarias y en cuestionamiento de su identidad de género. " +
			"Platicamos de transición, familia, trabajo, trámites y salud, y celebramos los avances de cada quien. " +
			"Respetamos siempre el nombre y los pronombres de cada persona.",
		place: "cdmx-juarez", format: inPerson, lead: peer, cred: "Facilitadora trans con formación en acompañamiento entre pares",
		topics: []string{"trans-nonbinary"}, lang: spanish, comm: []string{"lgbtq"}, day: time.Saturday, at: "17:00", minutes: 90,
	},
}

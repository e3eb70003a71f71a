package safety

import "strings"

// ruleSpecs are the rules, one a line; the format is described at compile
// (detect_match.go). Write words as people would; they are normalised like
// texts ("día" = "dia", "kill" = "kil"), but write contractions out ("do
// not", "i am"): that is what texts become.
var ruleSpecs = func() []string {
	var out []string
	for _, l := range strings.Split(rulesText, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "//") {
			continue
		}
		out = append(out, l)
	}
	return out
}()

const rulesText = `
// ---------- suicidal ideation, English ----------
suicidal 2 i   | want|wants|wanting to _ die
suicidal 2 i   | want to be dead
suicidal 2 i   | wish i was|were dead
suicidal 2 i   | wish i _ die|died|dead
suicidal 2 -   | wish i was|were|had never _ born
suicidal 2 -   | hope i die|never+wake|do+not+wake
suicidal 2 -   | want|wanting to _ never wake up
suicidal 2 -   | not want to wake up
suicidal 2 -   | sleep and never wake
suicidal 2 -   | want|wish|just|go|going _ sleep forever
suicidal 2 -   | asleep|sleep _ and? not|never wake
suicidal 2 -   | hope|wish _ _ not|never wake
suicidal 2 i   | not want to live|exist
suicidal 2 i   | not want to be alive
suicidal 2 i   | not want to be here|around anymore|longer
suicidal 2 i   | no longer want to live|exist|be
suicidal 2 -   | not want to go on|continue living
suicidal 2 -   | no reason|point to|in live|living|go+on|keep+going|being+alive
suicidal 2 -   | no reason|point _ living|alive
suicidal 2 -   | not worth living
suicidal 2 -   | life is not worth it
suicidal 2 -   | better off dead
suicidal 2 -   | better off without me
suicidal 2 -   | better without me
suicidal 2 -   | if i _ died|disappeared|was+gone|were+gone|kiled+myself|was+dead|were+dead
suicidal 2 i   | kil|kiling myself
suicidal 2 i   | kms
suicidal 2 i   | end|ending my life|own+life
suicidal 2 i   | end|ending it all
suicidal 2 i   | to|should|just|about|of|like|wil|ready end|ending it|things|everything|myself
suicidal 2 i   | to|should|just|about|of|like|wil|ready end|ending this _ life|now|tonight|today|suffering|pain|for+good
suicidal 2 i   | ready to end this
suicidal 2 -   | not deserve to live|exist|be+alive|be+here
suicidal 2 -   | should not _ exist|be+alive|be+here|have+been+born|live
suicidal 2 -   | leave this world
self_harm 2 -  | what i _ might|could|wil|would _ do to myself
suicidal 2 i   | not trust myself _ with|around|tonight|alone
suicidal 3 ce2 | planning|plan|figuring|figured|worked|decided _ how|when to? do+it|die|end+it|kil+myself
suicidal 3 -   | engine|car running _ garage
suicidal 3 -   | garage _ engine running
suicidal 3 -   | took|swallowed|taken _ everything|al in|from _ cabinet|medicine|bottle|drawer
suicidal 3 -   | bought|got the rope|noose|poison
suicidal 3 l   | this is _ my? goodbye
suicidal 2 -   | want|wish|need _ everything|it+all|my+life|it _ to end|stop|be+over
suicidal 2 -   | no|only way out _ dying|death|suicide|die|kil|kiling
suicidal 2 g   | thinking|think|thought|thoughts about|of _ overdosing|overdose|jumping|hanging|ending|end+it|slitting|shooting+myself|drowning+myself
suicidal 3 ce0 | going+to|wil|ready+to use it
suicidal 3 cle2 | said|say|saying my goodbyes
suicidal 3 ce0 | wil not be around|here
suicidal 3 -   | i _ end|ending it|everything|things|my+life _ tonight|today|now
suicidal 3 -   | tonight|today i _ end|ending|do it|everything|things|my+life
suicidal 3 -   | hoy|esta+noche|manana|ahora me mato|suicido|quito+la+vida
suicidal 3 -   | me mato|suicido hoy|esta+noche|manana|ahora
suicidal 3 -   | ya me tome|trague las|todas _ pastillas|pildoras
suicidal 2 i   | termino|acabo|acabare|terminare con todo|mi+vida
suicidal 2 -   | can not keep living|existing
suicidal 2 -   | want|wish|just|rather _ to? stop existing|living|breathing
suicidal 2 -   | not exist|existing anymore
suicidal 2 -   | when|after i am gone|dead
suicidal 2 i   | jump|jumping off|from|of _ bridge|roof|building|cliff|balcony|ledge|window
suicidal 2 i   | throw|throwing myself off|from|in+front|under
suicidal 2 i   | going|want|about|ready|wil|planning to jump
suicidal 2 i   | drive|driving|crash|crashing my car _ off|into
suicidal 2 -   | point in|of living|existing|being+alive|going+on|life
suicidal 2 -   | rather _ be+dead|die|not+exist|not+be+alive
suicidal 2 i   | end everything
suicidal 2 i   | end it tonight|today|now|forever
suicidal 2 i   | want|going|ready|decided|planning|plan to end it
suicidal 2 i   | take|taking my own? life
suicidal 2 i   | commit|commiting suicide|sewerslide|sucide
suicidal 2 -   | think about is _ death|dying|suicide|kiling+myself|dead
suicidal 2 g   | thinking|think|thought|thoughts about|of suicide|dying|death|sewerslide
suicidal 2 ig  | contemplating|considering|planning suicide
suicidal 2 gs  | suicidal
suicidal 2 ig  | suicide is _ only|my|the _ way|option|answer|choice
suicidal 2 ig  | sewerslide
suicidal 2 i   | unaliv* myself|me
suicidal 2 i   | want|going|ready to unaliv*
suicidal 2 gs  | unaliv*
suicidal 2 -   | tired of living|existing|being+alive
suicidal 2 -   | done with life|living
suicidal 2 -   | done with it all
suicidal 2 -   | should|deserve|need to _ die
suicidal 2 -   | should be dead
suicidal 2 -   | want it _ to end|over
suicidal 2 -   | disappear forever|permanently
suicidal 2 i   | ready|prepared to die
suicidal 2 -   | give|giving up on life|living
suicidal 2 i   | overdose|od on
suicidal 2 i   | want|going|plan|planning to overdose
suicidal 2 i   | jump in front of _ train|car|bus|truck
suicidal 2 i   | hang|hanging myself
suicidal 2 i   | shoot|shooting myself
suicidal 2 i   | drown|poison|starve myself
suicidal 2 i   | slit|cut my? wrists|wrist|throat
suicidal 2 i   | want|wish|ready|going _ _ coffin|grave
suicidal 2 -   | can not live _ anymore|any+longer|like+this
suicidal 2 -   | nobody|no+one _ would|will _ miss|notice|care _ if i _ gone|died|dead|disappeared
suicidal 2 m   | lethal|fatal|deadly|overdose dose|amount
suicidal 2 m   | how many|much _ pills|tablets|mg _ to|would|does|it _ die|kil|overdose|od|take
suicidal 2 m   | how to|do|can|would _ kil+myself|hang+myself|overdose|commit+suicide|die+painlessly|end+my+life
suicidal 2 m   | painless|quick|easy|easiest|quickest way|ways|method|methods _ to+die|to+kil|to+end|of+dying|out
suicidal 2 m   | mix|mixing|mixed _ pills|meds|medication _ with _ alcohol|vodka|wine|whiskey|beer|drink
suicidal 2 pe2 | tried|trying to kil+myself|end+my+life|end+my+own+life
suicidal 2 pe2 | attempted|attempt suicide
suicidal 2 pe2 | suicide attempt
suicidal 2 pe1 | wanted to die|be dead
suicidal 2 pe1 | did not want to live|be alive
suicidal 2 pe2 | was|were|felt|been suicidal
suicidal 3 pe3 | overdosed|oded
// ---------- suicidal ideation, Spanish ----------
suicidal 2 i   | quiero|quisiera|deseo|necesito|ganas+de _ morir|morirme
suicidal 2 i   | me quiero morir
suicidal 2 i   | quisiera|quiero estar muerto|muerta
suicidal 2 -   | ojala _ muriera|muera|muerto|muerta|morirme|morir|despertar|despierte|desaparecer|existiera|naciera|nacido
suicidal 2 i   | quiero|voy+a|pienso+en|pensando+en|ganas+de|deseo|necesito|quisiera _ matarme|suicidarme|quitarme
suicidal 2 i   | me quiero|voy+a|pienso _ matar|suicidar|quitar+la+vida
suicidal 2 i   | me voy a matar|suicidar
suicidal 2 i   | suicidarme
suicidal 2 i   | quitarme la vida
suicidal 2 i   | acabar|terminar con mi vida
suicidal 2 i   | quiero|voy+a|ganas+de|pienso|quisiera _ acabar|terminar con todo|esto
suicidal 2 i   | quiero|quisiera|ganas+de|deseo|necesito _ dejar de existir|vivir|respirar
suicidal 2 i   | pensando|pienso|pensar|pensamientos en|de _ morir|morirme|muerte|matarme|suicidarme|quitarme
suicidal 2 -   | mejor me muero|muera|mato
suicidal 2 -   | dormir _ no despertar|despertarme
suicidal 2 -   | quiero|voy _ ir|irme para siempre
suicidal 2 -   | quisiera|quiero|prefiero|preferiria|ojala _ no existir|nacer|haber+nacido
suicidal 2 -   | acabe|termine|acabara|terminara _ para siempre
suicidal 2 -   | extranar|extranaria|extranara|importara|importaria|notaria|notara _ _ cuando|si _ me? muera|muriera|muero|mate|desaparezca|desapareciera|vaya|no+este
suicidal 2 i   | me voy a tirar|aventar|lanzar
suicidal 2 i   | para matarme|suicidarme|morirme|quitarme
suicidal 2 i   | voy|quiero _ a? saltar|tirarme|aventarme|lanzarme
suicidal 2 i   | no quiero _ vivir|existir|despertar|despertarme
suicidal 2 i   | no quiero _ estar vivo|viva
suicidal 2 i   | no quiero seguir viviendo|vivo|viva|aqui|existiendo
suicidal 2 i   | ya no quiero estar aqui
suicidal 2 i   | ya no quiero seguir|continuar
suicidal 2 -   | desaparecer|irme|ir|salir del|de _ mundo
suicidal 2 -   | dejar este mundo
suicidal 2 -   | no deberia|debo|merezco _ existir|vivir|estar+aqui|haber+nacido|estar+viva|estar+vivo
self_harm 2 -  | miedo de lo que _ hacerme|me+pueda+hacer|me+haga
suicidal 2 i   | no confio en mi _ misma|mismo
suicidal 3 -   | me corte las? venas|munecas
self_harm 3 -  | desangrando|desangrarme|desangro
suicidal 3 -   | ya compre|tengo|consegui la|el _ soga|cuerda|pistola|veneno|arma
suicidal 3 l   | este|esta es|sera mi adios|despedida
suicidal 2 i   | no quiero estar aqui _ mas
suicidal 2 -   | no tiene sentido _ vivir|seguir|mi vida
suicidal 2 -   | no tengo ganas|razones|motivos _ de|para _ vivir|existir|seguir+viviendo
suicidal 2 -   | no hay razon|razones|motivo|motivos _ para vivir|seguir
suicidal 2 -   | vida no vale la pena
suicidal 2 -   | no vale la pena _ vivir|seguir viviendo
suicidal 2 -   | estarian|estaria|estan|estarias|estaran mejor sin mi
suicidal 2 -   | mejor _ muerto|muerta
suicidal 2 -   | mejor si _ muriera|muero|desapareciera|no+estuviera|no+existiera
suicidal 2 -   | desaparecer para siempre
suicidal 2 -   | dormir para siempre
suicidal 2 -   | cansado|cansada|harto|harta de vivir|existir|la+vida
suicidal 2 -   | me rindo con la vida
suicidal 2 i   | tirarme|aventarme|lanzarme _ puente|edificio|azotea|tren|metro|vias|balcon|techo|carro|coche
suicidal 2 i   | ahorcarme
suicidal 2 i   | cortarme las venas
suicidal 2 i   | tomarme _ pastillas|pildoras|frasco
suicidal 2 ig  | pienso|pensando|pensamientos|pensar|piensa|considero|considerando _ en|de? suicidio
suicidal 2 ig  | suicidio es _ salida|opcion|respuesta
suicidal 2 -   | nadie _ extranaria|notaria|importaria _ si _ muero|muriera|desapareciera|me+mato|no+estuviera
suicidal 2 -   | no aguanto|soporto _ vivir|vida
suicidal 2 m   | dosis letal|mortal
suicidal 2 m   | cuantas|cuanto|cuantos _ pastillas|pildoras|mg _ para _ morir|matarme|morirme|sobredosis
suicidal 2 m   | como _ suicidarme|matarme|ahorcarme|morir+sin+dolor
suicidal 2 m   | forma|manera|metodo _ sin dolor|rapida|facil _ de? morir|matarme|suicidarme
suicidal 2 pe2 | intente|intento|intentaba _ matarme|suicidarme|quitarme+la+vida|acabar+con+mi+vida
suicidal 2 pe2 | intento de suicidio
suicidal 2 pe1 | quise|queria morir|morirme|matarme|suicidarme
suicidal 2 pe2 | tuve|tenia pensamientos suicidas
suicidal 2 gs  | suicida|suicidas
// ---------- self-harm ----------
self_harm 2 i  | cut|cuting myself
self_harm 2 i  | cut|cuting my _ arms|wrists|legs|thighs|skin
self_harm 2 -  | cuting|cut again
self_harm 2 -  | started cuting
self_harm 2 -  | want|urge|urges to cut
self_harm 2 -  | hurt|hurting|harm|harming|injure|burn|burning|punish|punishing|scratch|scratching myself
self_harm 2 -  | hit|hiting|bang|banging|starve|starving myself
self_harm 2 gs | selfharm|selfharming
self_harm 2 -  | relapsed|relapse _ cuting|selfharm|self harm
self_harm 2 -  | knife|blade|razor blood
self_harm 2 -  | blood knife|blade|razor
self_harm 2 -  | cortarme|cortandome|autolesionarme|lastimarme|hacerme+dano|lastimandome|quemarme|golpearme
self_harm 2 -  | me corto|lastimo|autolesiono|quemo|golpeo|hago+dano|rasguno|araño
self_harm 2 -  | me corte _ brazos|munecas|piernas|muslos|brazo|muneca|pierna|otra+vez|de+nuevo
self_harm 2 -  | volvi a cortarme|lastimarme|hacerme dano
self_harm 2 -  | me volvi a cortar|lastimar
self_harm 2 -  | me sigo|estoy|estuve cortando|lastimando|quemando
self_harm 2 -  | cortandome|lastimandome|quemandome
self_harm 2 gs | autolesion|autolesiones
// ---------- imminent: means made ready, acts under way, plans, goodbyes ----------
suicidal 3 -   | $MEANS _ $READY
suicidal 3 -   | $MEANS _ in|en my|la? hand|hands|mano|manos
suicidal 3 ce0 | $MEANS _ tonight|today|now|hoy|esta+noche
suicidal 3 ce0 | wrote|written|writing|left notes|letters|note|letter _ family|everyone|kids|mom|parents|friends
suicidal 3 ce0 | hoy|esta+noche|ahora|manana lo hago
suicidal 3 cle0 | me despedi _ todos|todo|ustedes
suicidal 3 ce0 | i am _ on|at _ roof|rooftop|balcony|window
suicidal 3 ce0 | have|got|with everything|all ready|prepared|planned|set
suicidal 3 -   | saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|gathering|gathered _ pills|meds|medication|tablets
suicidal 3 -   | enough pills|meds|medication|tablets|sleeping _ to
suicidal 3 ce0 | have|got|bought|buy|found|get|getting _ $MEANS
suicidal 3 ce0 | bought|got|buying _ gun|rope|noose|razor
suicidal 3 -   | tied|made|tying|making _ noose
suicidal 3 -   | noose|rope|belt _ around my neck
suicidal 3 -   | gun _ to|against my head
suicidal 3 -   | knife|blade _ to|on my wrist|wrists|throat
suicidal 3 -   | took|swallowed|taken|downed|take|swallow _ all|whole|entire|every|bunch|lot|bottle|handful|box|#10 _ pills|pils|meds|tablets|pastillas|of|sleeping
suicidal 3 -   | took|swallowed|taken _ too+many|so+many _ pills|meds|tablets
suicidal 3 -   | just took|swallowed
self_harm 3 -  | cut|cuting|cuts _ too+deep|to+deep
self_harm 3 -  | can not stop the? bleeding
self_harm 3 -  | bleeding a+lot|out|badly|too+much|so+much|everywhere
self_harm 3 -  | lost a lot of blood
suicidal 3 -   | i am _ on|at _ bridge|ledge|tracks|edge|railing|cliff
suicidal 3 ce0 | i am _ on|at _ roof|rooftop|balcony
suicidal 3 -   | standing|sitting _ on|at _ bridge|ledge|edge|tracks|railing|cliff
suicidal 3 -   | plan to|for _ kil|end|die|suicide|dying|it|overdose|jump|hang
suicidal 3 ce0 | have|got|made|with a plan
suicidal 3 ce2 | know|decided|figured|worked|chose|picked _ how|when|where _ _ do+it|die|end+it|kil+myself|going+to+do+it|wil+do+it
suicidal 3 -   | plan _ and _ means
suicidal 3 -   | plan _ y _ medios
suicidal 3 ce0 | have|got the means
suicidal 3 ce0 | tengo los medios
suicidal 2 i   | listo|lista|preparado|preparada para morir|irme
suicidal 3 ce2 | picked|chose|set _ date|day
suicidal 3 -   | wrote|written|writing|finished|left _ suicide|goodbye|farewel note|notes|letter|letters
suicidal 3 -   | wrote|written|finished my note
suicidal 3 cle0 | letters to my family|kids|children|parents|everyone
suicidal 3 l   | this|these is|are|wil+be my last message|post|words|goodbye|night|day
suicidal 3 l   | my last message|post|words|goodbye
suicidal 3 cle0 | goodbye|bye|farewel _ everyone|everybody|al|world|forever|for+good|friends|guys
suicidal 3 -   | goodbye cruel world
suicidal 3 cle0 | goodbye|adios|farewel
suicidal 3 cle0 | wanted|want|to _ say goodbye
suicidal 3 ce0 | when|by+the+time you read this
suicidal 3 -   | when|by+the+time you read this _ i _ gone|dead|not|wil+be
suicidal 3 -   | wil not be here|around _ tomorrow|anymore
suicidal 3 ce2 | wil not be here|around _ much+longer
suicidal 3 cle0 | take care of my _ cat|dog|kids|children|pets|mom|family _ for me|when|after
suicidal 3 cle0 | gave|giving|give away my _ things|stuff|belongings|possessions|pets|cat|dog
suicidal 3 cle0 | tonight is the night
suicidal 3 cle0 | today is the day
suicidal 3 ce0 | it ends|wil+end _ tonight|today|now|here
suicidal 3 ce0 | going|ready to do it _ tonight|today|now
suicidal 3 ce0 | doing it tonight|today|now
// a firm intent to act is imminent; a denied one ("I'm not going to kill myself") is distress
suicidal 3 n   | going|about|ready|planning|decided to _ kil|end|hang|shoot|overdose|unaliv* myself|my+life|it+all
suicidal 3 n   | i wil _ kil|end|hang|shoot|unaliv* myself|my+life|it+all
suicidal 3 n   | me voy a matar|suicidar|ahorcar|tirar|aventar|lanzar
suicidal 3 n   | me voy a quitar la vida
suicidal 3 n   | voy a _ matarme|suicidarme|ahorcarme|tirarme|aventarme|lanzarme
suicidal 3 n   | voy a quitarme la vida
// more acts, means and goodbyes
suicidal 3 -   | took|swallowed|taken|downed|drank|drunk the? whole|entire bottle|box|pack|packet|botle
suicidal 3 -   | wil have taken|swallowed them|it|al|everything
suicidal 3 -   | me|ya las|los|lo habre tomado|tragado
suicidal 3 -   | just|already cut|slit my _ wrists|wrist|throat|arms
suicidal 3 n   | about to jump|do+it|go|end+it|overdose|take+them|kil+myself
suicidal 3 -   | loaded|cocked _ gun|pistol|rifle
suicidal 3 ce2 | bought|buy|got|getting|buying _ rope
suicidal 3 -   | bought|got|made _ noose
suicidal 3 ce0 | know what i am doing
suicidal 3 ce0 | by the time|when _ anyone|someone|you|people _ reads|read|sees|see|finds|find this|me
suicidal 3 ce2 | i wil _ be dead|gone
suicidal 3 -   | drank|drunk|swallowed|took|drinking _ bleach|poison|antifreeze|cloro|veneno|lejia|raticida
suicidal 3 -   | tome|bebi|trague|tomando|bebiendo _ veneno|cloro|lejia|raticida|anticongelante
suicidal 3 ce2 | car|coche|carro _ motor|engine _ running|encendido|prendido
suicidal 3 ce0 | getting|feel|feeling|so|very|me+siento|estoy _ sleepy|drowsy|dizzy|fading|mareada|mareado|somnolienta|somnoliento
suicidal 3 ce0 | pills|meds|pastillas _ working|kicking+in|taking+effect|haciendo+efecto
suicidal 3 cle0 | thank|thanks you? _ for everything
suicidal 3 cle0 | gracias por todo
suicidal 3 ce0 | i am _ ready
suicidal 3 l   | goodbye forever
suicidal 3 l   | despido|despedirme|despedir para siempre
suicidal 3 -   | esta|este es|sera mi ultima|ultimo noche|vez|dia
suicidal 3 ce2 | no voy a estar _ aqui|mas _ manana|mucho
suicidal 2 i   | me ahorco|ahorcare|colgare
suicidal 2 -   | irme|ir|fuera|vaya|voy para siempre
suicidal 2 -   | never|not woke|wake|awoke _ up? again
suicidal 2 gsm | ways|way|methods|formas|forma|maneras|manera _ to|de _ die|kil+myself|morir|matarme|suicidarme|end+my+life
suicidal 2 -   | platform|anden|tracks|vias|ledge|edge _ _ lean|leaning|jump|jumping|fall|falling|caer|dejarme+caer|tirarme|saltar|aventarme
suicidal 2 -   | dejarme caer
suicidal 2 -   | lost|losing|perdi|perdido|pierdo _ will|ganas|deseo to|de live|living|vivir
suicidal 2 -   | would|estarian|estaria|seria|serian ___ fine|happier|okay|mejor|bien|felices without|sin me|mi
suicidal 2 -   | not want to be here
suicidal 2 -   | death|dying|morir|muerte|morirme _ _ only|unica _ option|way|salida|opcion|answer|choice
suicidal 2 i   | acabar|terminar con todo
self_harm 2 -  | burn|burning|cut|cuting|scratch|scratching|hit|hiting my arms|wrists|legs|skin|thighs
self_harm 2 -  | relapsing|relapse|relapsed _ cuting|selfharm|sh
self_harm 2 -  | quemo|corto|rasguno|lastimo los|las|mis brazos|piernas|munecas|muslos|piel
distress 1 -   | no veo futuro
distress 1 -   | can not see _ future
suicidal 2 -   | wish|want|pray|hope _ _ disappear|vanish
suicidal 2 -   | quisiera|quiero|ojala|ganas+de _ desaparecer|esfumarme
suicidal 2 -   | pray|hope|wish|pido|rezo|ruego|ojala ___ not|never|no wake|despertar|despertara|despierte
suicidal 2 -   | pray|hope|wish|pido|rezo|ruego|ojala ___ not|never|no me despierte|despertara|despierto
suicidal 2 -   | ojala|wish|hope|pray|pido|rezo ___ infarto|heart+attack|aneurysm|aneurisma|accidente|accident|cancer|choque|crash _ me? lleve|llevara|take|takes|took|kil|kils|mate|matara|and+i+die|y+ya|y+me+muera|mientras+duermo|in+my+sleep
suicidal 2 -   | no quiero|quisiera seguir _ viviendo|vivo|viva|existiendo|aqui|respirando|en+este+mundo
suicidal 2 -   | prefiero|preferiria|preferia _ estar|estaria muerta|muerto
suicidal 2 -   | prefiero|preferiria|preferia _ morir|morirme|matarme|desaparecer|no+existir
danger 1 -     | me vuelve|volvio|volvia a pegar|golpear|ahorcar|empujar|amenazar|violar
suicidal 2 -   | no despertar|despertara|despertarme|despierte _ nunca|mas|jamas
suicidal 2 -   | in front of _ bus|train|car|truck|metro|subway|tren|camion|coche
suicidal 2 i   | tirandome|aventandome|lanzandome
suicidal 2 -   | take|takes me _ faster|sooner|already|away
suicidal 2 -   | ojala|quisiera _ _ llevara|llevase|llevaria
suicidal 2 -   | if i _ was|were _ not _ around|here|alive
suicidal 2 -   | si _ ya? no estuviera|existiera|estuviese
suicidal 2 -   | if i _ ended|end it|things|everything|my+life
suicidal 2 -   | not scared|afraid _ of dying|death|to+die
suicidal 2 -   | no tengo|me+da miedo _ morir|morirme|la+muerte
suicidal 2 -   | brain|mind|head|voice|voices|cabeza|mente _ tells|says|telling|saying|dice|repite _ me? _ kys|kil+myself|die|to+die|matarme|que+me+mate|muerete
suicidal 2 -   | kys __ brain|mind|head|voice|voices
suicidal 2 -   | pain|dolor _ _ stop|stops|end|ends|acaba|termina _ if|when|si|cuando _ i? _ dead|die|died|muero|muriera|muera
suicidal 2 -   | si me muero|muriera|muera _ se? acaba|termina|acabaria
suicidal 2 -   | not see myself _ alive|living|here|around
suicidal 2 -   | no me veo _ viva|vivo|aqui|viviendo
suicidal 2 -   | sentido a? seguir viviendo|vivir
suicidal 2 -   | para que sigo|seguir aqui|vivo|viva
suicidal 2 -   | si me muriera|muero|fuera|matara
suicidal 2 -   | deberia|quiero|quisiera irme|ir con el|ella|mi
self_harm 2 -  | urge|urges|ganas _ selfharm|cut|sh|hurt+myself|cortarme|lastimarme|autolesionarme
self_harm 2 -  | sh urges|urge|again|relapse|tonight|right+now
self_harm 2 -  | relapsed|relapse|recai|recaida on|into|en? sh|selfharm|cuting|autolesiones|cortarme
self_harm 2 -  | until|hasta _ _ bled|bleed|bleeds|bleeding|sangrar|sangre|sangraron
self_harm 2 -  | hiding|hide|cover|covering|escondo|tapo|oculto _ marks|scars|cuts|cortes|marcas|cicatrices
self_harm 2 -  | cuting|cortando|cortandome deeper|again|more|mas
self_harm 2 -  | para castigarme
self_harm 2 -  | me pego|pegue _ cabeza|pared
// Spanish
suicidal 3 ce0 | tengo|compre|consegui|junte|guarde|guardado|juntado|tenemos _ $MEANS
suicidal 3 -   | he|estoy _ guardado|juntado|ahorrado|acumulado|guardando|juntando _ pastillas|pildoras|medicinas|medicamentos
suicidal 3 -   | suficientes pastillas|pildoras|medicinas|medicamentos
suicidal 3 -   | tengo todo listo|preparado|planeado
suicidal 3 -   | tome|trague|tomado|tomar|tomo|tomare|trago|tragare _ todas|todo|bote|monton|frasco|muchas|caja|#10 _ pastillas|pildoras|medicinas|frasco|caja|de|mis
suicidal 3 -   | estoy _ en|sobre _ puente|vias|orilla|borde|cornisa|barandal|precipicio
suicidal 3 ce0 | estoy _ en|sobre _ azotea|techo|balcon
self_harm 3 -  | sangrando mucho|demasiado|sin parar
self_harm 3 -  | no para|deja de sangrar
self_harm 3 -  | me corte _ muy|demasiado profundo
suicidal 3 ce0 | tengo un plan
suicidal 3 -   | plan para _ matarme|suicidarme|morir|quitarme|acabar|morirme
suicidal 3 -   | ya escribi|deje|termine _ carta|cartas
suicidal 3 -   | carta|cartas de despedida
suicidal 3 l   | este es|sera mi ultimo mensaje|post|dia|adios
suicidal 3 l   | mi ultimo mensaje|adios
suicidal 3 cle0 | adios _ todos|siempre|mundo
suicidal 3 cle0 | me despido _ todos|siempre
suicidal 3 cle0 | hoy es el dia
suicidal 3 cle0 | esta noche es la noche
suicidal 3 ce0 | hoy|esta+noche _ acaba|termina|acabo
suicidal 3 -   | cuando leas esto _ estare|estar|muerto|muerta|no
suicidal 3 -   | ya no estare|voy+a+estar _ aqui|manana
suicidal 3 ce0 | ya decidi|se _ como|cuando
suicidal 3 cle0 | regale|regalando|regalar _ mis cosas
suicidal 3 cle0 | cuiden|cuida _ de? a? mi|mis _ perro|gato|hijos|hijo|hija|mascotas
suicidal 3 ce0 | lo voy a hacer _ hoy|ahora|esta+noche
// ---------- distress ----------
distress 1 -   | can not take|handle|bear|stand it|this|any _ anymore|more|longer
distress 1 -   | can not do this|it anymore
distress 1 -   | can not anymore
distress 1 -   | can not go+on|keep+going|cope|continue
distress 1 -   | i give up
distress 1 -   | no way out
distress 1 -   | giving up
distress 1 -   | hopeless|worthless|helpless|hopelessness
distress 1 -   | no hope
distress 1 -   | nobody|no+one cares|understands|listens|loves+me|would+miss+me|would+notice
distress 1 -   | all alone
distress 1 -   | so|very|completely|totally alone|lonely
distress 1 -   | feel|feeling|felt _ empty|numb|trapped|broken|lost|alone|lonely|useless|invisible|like+a+burden|like+nothing|like+giving+up|like+a+failure|like+dying
distress 1 -   | i am a burden|failure|mess
distress 1 -   | such|a a|complete|total? failure|loser|disappointment|waste
distress 1 -   | wants|want|talking|going|threatening|threatens|says|said|thinking|plans|planning|keeps _ to|about|of? kil|end|ending|take|taking|hurt|hurting|harm|cut|cutting himself|herself|themselves|her+life|his+life|their+life|her+own+life|his+own+life
distress 1 -   | quiere|habla+de|dice+que|piensa|amenaza+con _ matarse|suicidarse|quitarse+la+vida|hacerse+dano|cortarse|morir|se+quiere+morir
distress 1 -   | burden to everyone|everybody
distress 1 -   | hate myself|my+life|my+body
distress 1 -   | what is the point
distress 1 -   | falling apart
distress 1 -   | breaking down
distress 1 -   | panic attack|attacks
distress 1 -   | can not stop crying|shaking
distress 1 -   | crying all|every _ night|day|time
distress 1 -   | overwhelmed
distress 1 -   | struggling|suffering
distress 1 -   | depressed|depression
distress 1 -   | tired of everything|it+all|life|fighting|trying
distress 1 -   | need to vent|talk+to+someone
distress 1 -   | dead inside
distress 1 -   | want to disappear|vanish
distress 1 -   | want|need the pain to stop|end
distress 1 -   | everything hurts
distress 1 -   | i am not okay|ok|alright|fine
distress 1 -   | i am done
distress 1 -   | heartbroken
distress 1 -   | no puedo mas
distress 1 -   | ya no puedo
distress 1 -   | ya no aguanto|soporto
distress 1 -   | no aguanto|soporto _ mas|esto
distress 1 -   | harto|harta|cansado|cansada|agotado|agotada de todo|esto|luchar|la+situacion
distress 1 -   | me siento _ solo|sola|vacio|vacia|perdido|perdida|atrapado|atrapada|inutil|carga|estorbo|fatal|morir|rota|roto|destrozado|destrozada
distress 1 -   | nadie me quiere|entiende|escucha|extranaria|ayuda
distress 1 -   | a nadie le importo|importa
distress 1 -   | sin esperanza
distress 1 -   | no tengo esperanza|fuerzas|ganas+de+nada
distress 1 -   | no valgo nada
distress 1 -   | me odio
distress 1 -   | odio mi vida
distress 1 -   | deprimido|deprimida|depresion
distress 1 -   | ataque|ataques de panico|ansiedad
distress 1 -   | no paro|dejo de llorar
distress 1 -   | llorando todo|toda _ dia|noche
distress 1 -   | para que seguir|sigo
suicidal 2 -   | para que vivir|existir|seguir+viviendo
distress 1 -   | no tiene sentido _ nada
distress 1 -   | me rindo
distress 1 -   | destrozado|destrozada
distress 1 -   | quiero desaparecer|esfumarme
distress 1 -   | quiero que _ todo? _ termine|pare|acabe
distress 1 -   | no estoy bien
distress 1 -   | soy una carga|un estorbo
distress 1 -   | todo me duele
distress 1 -   | necesito desahogarme|hablar+con+alguien
distress 1 -   | no se que hacer
distress 1 -   | al limite
distress 1 -   | muerto|muerta por dentro
distress 1 -   | siento que me muero
// ---------- danger from another person ----------
danger 1 -     | $SUBJ __ hits|beats|punches|slaps|kicks|chokes|strangles|rapes|abuses|threatens|hurts|hit|beat|choked|raped|threatened|molested|molests|touches|touched|grabs|grabbed|pushed|pushes|shoves|shoved|burns|attacks|attacked|strangled|slapped|punched|kicked|hiting|beating|chocking|hurting|abusing|threatening|touching me|us
danger 1 -     | $SUBJ _ hits|beats|punches|slaps|kicks|hurts|hit|beat|touches|touched|molests|molested|abuses|abused|rapes|raped|hiting|beating|hurting|touching|abusing|burns the|my|our|his|her? little|baby|younger|older? $KIN
danger 1 -     | $SUBJ _ threaten* _ to? kil|hurt|beat|take|burn|shoot|stab _ me|us|my|the
danger 1 -     | $SUBJ _ wil|would|going|wants|want|said|says|tried|trying|try _ to? kil|hurt|beat|shoot|stab|strangle me|us
danger 1 -     | afraid|scared|terrified|fear|frightened _ _ _ kil|hurt|beat|hit me|us
danger 1 -     | afraid|scared|terrified of what $SUBJ _ do to me|us
danger 1 -     | not safe at|in home|house|my+house
danger 1 -     | not safe with $SUBJ|him|her|them
danger 1 -     | not feel safe at|in|with _ home|house|him|her|them
danger 1 -     | afraid|scared _ to go home
danger 1 -     | wil not let me leave|go|see|out
danger 1 -     | locked|locks|locking me in|out|up
danger 1 -     | forced|forces|forcing|made|makes me _ have+sex|sex
danger 1 -     | raped|molested|assaulted|abused|beaten me
danger 1 -     | i _ was|am|got|been|being raped|molested|sexually|assaulted|beaten|abused
danger 1 -     | $KIN _ not safe
danger 1 -     | touch|touching|touched|touches _ private|privates|inappropriately|where+he|where+she
danger 1 -     | $SUBJ|people|everyone|classmates|kids|bully|bullies|friends _ told|tell|tells|telling|keep+telling|keeps+telling me to _ kil+myself|kys|die|go+die
danger 1 -     | kids|children _ are|is _ being abused|hurt|beaten
danger 1 -     | makes|made|forces|forced|making|forcing me _ do+things|touch|watch|undress
danger 1 -     | sends|sent|sending|asks|asked me _ inappropriate|sexual|nude|nudes|explicit|naked
danger 1 -     | threaten* _ to? post|share|send|leak|publish _ my? nudes|nude|photos|pictures|pics|videos
danger 1 -     | hiding from $SUBJ|him|her|them
danger 1 -     | $SUBJ _ trying|tried|going|is _ to? break|breaking|kick|kicking _ in|down|door
danger 1 -     | amenaza|amenazo|amenazando con _ publicar|subir|compartir|mandar|difundir
danger 1 -     | $SUJ _ me|nos esta|estan? amenazando|golpeando|pegando|siguiendo|acosando|acechando|vigilando
danger 1 -     | knows|sabe where|donde _ live|vivo|vive __ coming|come|venir|vendra|find|encontrar|buscar|hurt|matar
danger 1 -     | $SUBJ|son|daughter|nephew|grandson|hijo|hija|nieto|sobrino __ shoved|pushed|hit|slapped|grabbed me
danger 1 -     | took|takes|has|kept|keeps|quito|tiene|guarda _ my passport|papers|documents|pasaporte|papeles|documentos
danger 1 -     | work|trabajar _ without|sin pay|paga|pago|sueldo
danger 1 -     | black eye|ojo+morado
danger 1 -     | $KIN|boy|girl|child|kid|nino|nina|nene|nena|year+old|anos _ _ bruises|moretones|marks|golpes
danger 1 -     | bruises|moretones _ _ screaming|gritos|yelling
danger 1 -     | alone|days|dias|solo|sola _ _ without+food|hungry|sin+comer|sin+comida
danger 1 -     | $SUBJ _ burns|beats|hits|chokes|whips|burned|beat him|her|them
danger 1 -     | $SUJ _ lo|la|le|les|los quema|golpea|pega|ahorca|quemo|golpeo|pego|maltrata
danger 1 -     | amenaz* con _ _ dano|matar*|llevar*|quitar*|hacer*|lastim*|romper*
danger 1 -     | me dio|dieron|da _ cachetada|bofetada|golpiza|paliza|punetazo|patada|cachetadas|golpes
danger 1 -     | me empujo|empujaron|abofeteo|cacheteo
danger 1 -     | encerrada|encerrado|escondida|escondido|hiding|locked en|in _ bano|cuarto|bathroom|closet|room
danger 1 -     | rompe|romper|romperme la cara
danger 1 -     | quita|quitar|quitarme _ los|mis ninos|hijos
danger 1 -     | rather have a dead
danger 1 -     | and|then shoved|pushed|slapped|punched|choked|kicked|hit me
danger 1 -     | stalking|stalks|stalked|following|follows _ me
danger 1 -     | me ahorca|ahorcaba|ahorcaron|estrangula|estrangulaba|estrangularon|asfixia|asfixiaba
// coercive control: watching, taking, trapping, threats of what will happen
danger 1 -     | checks|reads|tracks|monitors|goes+through my _ phone|messages|texts|email|location|emails
danger 1 -     | takes|hides|smashed|took+away|keeps+taking my _ phone|keys|car+keys|money|cards|card|paycheck|wallet|passport
danger 1 -     | revisa|checa|esconde|escondio|rompio mi|el|los|las? celular|telefono|mensajes|llaves|cartera
danger 1 -     | me quita|quito|quitaba|saca|saco el|la|mi|mis|los|las? celular|telefono|llaves|dinero|pension|tarjeta|sueldo|coche|carro|documentos
danger 1 -     | me encierra|encerro|encierran|amarra|amarro
danger 1 -     | make|makes|made me regret|pay
danger 1 -     | you|i wil|wilt|are+going+to|am+going+to regret
danger 1 -     | me va|vas a ir _ mal
danger 1 -     | te|me vas|voy a arrepentir
danger 1 -     | if i _ leave|go|tell __ take|taking|kil|hurt|find
danger 1 -     | si lo|le|te? dejo|denuncio|cuento|me+voy __ quitar|quita|matar|mata|encontrar|buscar
danger 1 -     | take|taking the|my kids|children|baby|son|daughter away? and? i+wil+never|never+see
danger 1 -     | showing|shows|showed|turning|turns|turned up at|outside my _ work|job|house|home|school|door|apartment
danger 1 -     | aparece|aparecio|se+aparece afuera? en|de mi _ trabajo|casa|escuela|puerta
danger 1 -     | make sure nobody|no+one _ else gets|has|can+have me
danger 1 -     | si no soy|eres suya|suyo|mia|mio
danger 1 -     | $SUBJ _ comes|came|sneaks|snuck into my _ room|bed
danger 1 -     | $SUJ _ entra|se+mete|metia|entraba _ a|en mi _ cuarto|cama|recamara
danger 1 -     | me da|dan miedo _ esposo|marido|novio|pareja|padre|papa|padrastro|ex|esposa|novia|madre|mama
danger 1 -     | $KIN _ left+alone|hungry|starving|neglected|not+fed|without+food
danger 1 -     | afraid|scared|terrified|frightened of him|her|them
danger 1 -     | afraid|scared|terrified|frightened of _ husband|boyfriend|partner|dad|father|stepdad|stepfather|ex|wife|girlfriend|mom|mother
danger 1 -     | miedo a|de _ esposo|marido|novio|pareja|padre|papa|padrastro|ex|esposa|novia|madre|mama
danger 1 -     | $SUJ _ me|nos pega|golpea|golpeo|pego|maltrata|amenaza|amenazo|viola|violo|ahorca|ahorco|empuja|empujo|quema|toca|tocaba|toco|lastima|lastimo|abusa|abuso|grita|encierra|encerro|obliga|obligo|agrede|agredio|patea|pateo|estrangula|acosa|manosea|manoseo
danger 1 -     | $SUJ _ le? pega|golpea|golpeo|pego|toca|tocaba|toco|maltrata|lastima|abusa|abuso|manosea|viola|violo _ a? mi|mis|los|las|la|el _ $PAR
danger 1 -     | $SUJ _ me? va|quiere|dijo|amenaza|intento _ a|que|con? _ matar|matarme|hacerme|pegarme|golpearme|lastimarme
danger 1 -     | amenaza|amenazo|amenazando con _ matarme|matarnos|pegarme|quitarme|lastimarme|hacerme
danger 1 -     | miedo _ de? que _ me+mate|me+pegue|me+haga|me+lastime|me+golpee|lastime|mate|nos+mate|nos+haga
danger 1 -     | no estoy segura|seguro|a+salvo _ casa|aqui|con+el|con+ella
danger 1 -     | no me deja salir|ver|trabajar|hablar|irme
danger 1 -     | me violaron|violo|abusaron|abuso|golpearon|agredieron
danger 1 -     | abusa|abuso|abusan|abusaron de mi
danger 1 -     | $PAR _ no esta|estan _ segura|seguro|seguros|a salvo
danger 1 -     | me dicen|dijeron|dice|dijo _ que+me+mate|matarme|que+me+muera|muerete
// ---------- idioms and hyperbole: they cancel any signal they overlap ----------
idiom 0 -      | kiling me
idiom 0 -      | kiling|kiled|kil it
idiom 0 -      | kil me now
idiom 0 -      | jefe|jefa|mama|papa|madre|padre|profe|profesor|profesora|maestra|maestro|papas|suegra|suegro|mujer|esposa|esposo|marido|novia|novio|abuela|abuelo|hermana|hermano|tia|tio|jefa|entrenador|sponsor|padrino|madrina _ me? va|van a _ matar|matarme
idiom 0 -      | se me quemo|quemaron|cayo|cayeron|rompio|olvido
idiom 0 -      | poison control|center|centre|hotline
idiom 0 -      | centro|servicio _ toxicologia|toxicologico|intoxicaciones
idiom 0 -      | throw|throwing|chuck|toss my|the phone|laptop|computer|tv|printer|keys out|off|across|through|into
idiom 0 -      | clean|free from|of _ selfharm|cuting|self|suicidal|it
idiom 0 -      | # _ days|weeks|months|years _ clean|free
idiom 0 -      | date|day for|of _ wedding|party|meeting|trip|move|interview|exam|surgery|appointment|launch
idiom 0 -      | overdose|overdosed|overdosing|od on _ chocolate|sugar|coffee|caffeine|candy|cake|netflix|tv|memes|cuteness|love|carbs|pizza|junk|cookies|sweets|anime|music
idiom 0 -      | bridge crew|club|team|game|tournament|class|construction|project|loan|traffic|toll
idiom 0 -      | done with _ homework|work|school|class|exam|exams|dishes|laundry|project|shift|meeting|lunch|dinner|chores|weather|assignment|essay|paper|job|today|cleaning|cooking|painting
idiom 0 -      | con todo el|lo|los|las|eso|ese|mi+trabajo
idiom 0 -      | beat|beats|beating me at|in|to
idiom 0 -      | rather die than
idiom 0 -      | matar|matarme|mato a|de _ estudiar|trabajar|estudio|trabajo|entrenar
idiom 0 -      | # _ anos|dias|meses|years|days|months|semanas|weeks sin|without
idiom 0 -      | despertar a|al|temprano
idiom 0 -      | be here at|for|on|in|with|this|right
idiom 0 -      | bridge|roof|tracks|puente|techo|azotea _ walking|driving|crossing|fixing|cleaning|repairing|working|view|photos|paseando|caminando|cruzando|arreglando|limpiando|trabajando
idiom 0 -      | disappear|desaparecer into|under|in|debajo|bajo|en|entre
idiom 0 -      | pills|pils|tablets|pastillas|pildoras _ a|al|per|por day|dia|daily|diarias|diarios
idiom 0 -      | threw|throw|thrown|flushed|flush|gave _ away|out? _ the|my? pills|meds|rope|gun|razor|blades|medication
idiom 0 -      | got rid of _ the|my? pills|meds|rope|gun|razor|blades
idiom 0 -      | tire|entregue|deshice _ de? _ las|mis? pastillas|cuerda|pistola|navajas|medicinas
idiom 0 -      | done _ drinking|using|smoking|gambling|eating|working|studying|cleaning|packing|bebiendo|tomando|fumando
leaving 0 -    | moving|moved|relocating|vacation|holiday|holidays|trip|graduating|graduation|retiring|retirement|mudo|mudando|mudanza|vacaciones|viaje|jubilo
leaving 0 -    | see+you|for+now|next+week|next+time|new+job|new+city|nos+vemos|hasta+luego|hasta+pronto|nuevo+trabajo|otra+ciudad|hasta+manana|hasta+el
idiom 0 -      | ready for
idiom 0 -      | ultima|ultimo vez|dia que|en|de|del
idiom 0 -      | could sleep forever
idiom 0 -      | end|ending|ended it|things with|between|on
idiom 0 -      | gone on|for|to
idiom 0 -      | kil|kiled for|to+have|to+be|to+get
idiom 0 -      | die|dying|died|dead|death of|from embarrassment|laughter|laughing|boredom|cringe|shame|cuteness|heat|thirst|hunger|envy|jealousy
idiom 0 -      | die|dying laughing
idiom 0 -      | dying to|for
idiom 0 -      | to die for
idiom 0 -      | dead tired|serious|wrong|set|last|end|line|battery|weight
idiom 0 -      | scared|bored|worried|freezing|tickled to death
idiom 0 -      | over my dead body
idiom 0 -      | kil|kiling|kiled myself laughing|working|studying|trying|over|for|at+work|with+work|to+finish|to+get
idiom 0 -      | hurt|hurting|hurted myself at|playing|lifting|running|falling|while|exercising|working|skiing|training|during|yesterday|in+the+gym|on+the|on+a
idiom 0 -      | cut|cuting myself shaving|cooking|chopping|while|accidentally|opening|on+the|on+a|by+accident|with+paper
idiom 0 -      | burn|burned|burnt|burning myself _ cooking|baking|stove|oven|iron|pan|coffee|sun
idiom 0 -      | bang|banging|hit|hiting myself _ door
idiom 0 -      | end it with|between
idiom 0 -      | last message|post|night|day|words _ of|for|before|until|at|in|on|here|to
idiom 0 -      | my last day at|of|on
idiom 0 -      | about|since|after|from|on|in|under|read|saw|see to? my|your|his|her last message|post|words
idiom 0 -      | going+to|wil kil me when|for
idiom 0 -      | mom|mother|dad|father|parents|boss|teacher _ wil|going _ kil me if|when
idiom 0 -      | starving myself for|until|before
idiom 0 -      | muero|muriendo|morir|morirme|muerto|muerta|muertos|muertas de|del _ ganas|risa|hambre|sueno|verguenza|calor|frio|envidia|amor|nervios|aburrimiento|cansancio|miedo|sed|emocion|ternura|celos|curiosidad|gusto|pena|susto|asco|coraje|rabia|felicidad|alegria|flojera|antojo
idiom 0 -      | muero|muriendo por
idiom 0 -      | matar|matarme cuando|si _ vea|vean|ve|sepa|sepan|llegue+tarde|repruebo|pierdo|rompo
idiom 0 -      | ultimo mensaje|post|dia|adios del|de|antes|hasta|por|en|para
idiom 0 -      | me mata|matan|matando
idiom 0 -      | mato|matando|mate _ estudiando|trabajando|entrenando|a+estudiar|a+trabajar|en+el+gym|de+risa
idiom 0 -      | matar el|al|un tiempo|rato
idiom 0 -      | morir en el intento
idiom 0 -      | hasta morir
idiom 0 -      | de muerte
idiom 0 -      | corto|corte|cortarme|cortar|cortando _ pelo|cabello|unas|barba|fleco|dedo
idiom 0 -      | se me corto|corta|cortaba|corte|cortan|cortaron|corten
idiom 0 -      | lastime|lastimo|lastimarme|golpee|golpeo|queme|quemo _ rodilla|espalda|pie|mano|tobillo|dedo|cabeza|brazo|hombro
idiom 0 -      | quemo|queme _ sol|cocinando|plancha|sarten|horno|estufa
idiom 0 -      | me toca _ trabajar|ir|a+mi|hoy|turno|pagar|cocinar|hacer
idiom 0 -      | hacerme dano jugando|entrenando
// ---------- context markers ----------
distant 0 -    | # years|months|decades|yrs _ ago|back
distant 0 -    | years|months|decades|year|decade ago
distant 0 -    | long ago
distant 0 -    | there was a time|night|day|period
distant 0 -    | hubo una|un _ noche|tiempo|epoca|dia|momento
distant 0 -    | first year|primer+ano|those days|esos+dias|back when
distant 0 -    | antes _ me|yo|era|tenia|pensaba|queria|sentia|solia|daba
distant 0 -    | pensaba|sentia|cortaba|lastimaba|tomaba|intentaba
distant 0 -    | used to
distant 0 -    | when i was
distant 0 -    | back then|in
distant 0 -    | in the past
distant 0 -    | at the time
distant 0 -    | as a kid|teen|teenager|child|young|student
distant 0 -    | in high+school|college|university|my+teens|my+twenties
distant 0 -    | last year
distant 0 -    | in|during #year
distant 0 -    | at age? #
distant 0 -    | hace _ anos|meses|tiempo|ano|mes|decadas|decada
distant 0 -    | hace mucho
distant 0 -    | cuando era|tenia|estaba en
distant 0 -    | de nino|nina|joven|adolescente|chico|chica|pequeno|pequena|chiquito|chiquita
distant 0 -    | en el pasado
distant 0 -    | en aquel|ese entonces
distant 0 -    | en aquella|esa epoca
distant 0 -    | solia|solia
distant 0 -    | el ano pasado
distant 0 -    | en la prepa|secundaria|universidad|preparatoria|escuela
distant 0 -    | en|durante #year
distant 0 -    | a los #
present 0 -    | now|today|currently|lately|recently|nowadays|ahora|hoy|actualmente|ultimamente|recientemente
present 0 -    | these|estos days|dias
again 0 -      | again|nuevamente|otra+vez
again 0 -      | de nuevo
again 0 -      | still _ want|feel|think|have|cut|struggle|wish|thinking
again 0 -      | todavia|aun _ quiero|pienso|siento|deseo
again 0 -      | are|is|came|coming _ back
again 0 -      | volvieron|regresaron|vuelven
recent 0 -     | last night|week|weekend
recent 0 -     | tonight|today|yesterday|earlier|anoche|ayer|hoy
recent 0 -     | this morning|afternoon|evening
recent 0 -     | hour|hours|minutes|min|mins ago
recent 0 -     | just now
recent 0 -     | just tried|took|attempted|overdosed
recent 0 -     | esta manana|tarde
recent 0 -     | hace _ rato|hora|horas|minutos
recent 0 -     | acabo de
recovery 0 -   | grateful|thankful|recovery|recovered|recovering|survived|survivor|sober|healing|healed
recovery 0 -   | glad|happy _ to+be|i+am _ alive|here
recovery 0 -   | clean for
recovery 0 -   | today|now i am _ okay|fine|happy|well|alive|good|better|doing
recovery 0 -   | agradecido|agradecida|sobrevivi|sobreviviente|recuperacion|recuperado|recuperada|sobria|sobrio
recovery 0 -   | me alegro|alegra _ de? seguir|estar
recovery 0 -   | hoy|ahora _ estoy bien|feliz|mejor
recovery 0 -   | sigo aqui
recovery 0 -   | sali adelante
prevention 0 - | prevention|awareness|hotline|helpline|lifeline|988|024|campaign|fundraiser|walk|training|webinar|workshop|statistics|rate|rates|research|study|studies|article|documentary|movie|film|book|podcast|song|episode|squad|show|series|lecture|course|month|week|bereaved|bereavement|survivors|signs|risk|warning|warnings|side+effect|side+effects|suicide+loss
prevention 0 - | crisis line|text line
prevention 0 - | prevencion|concientizacion|campana|linea|taller|capacitacion|estadisticas|tasa|tasas|articulo|pelicula|libro|cancion|documental|serie|curso|charla|mes|semana|perdida|duelo|senales|riesgo|advertencia|advertencias|efectos+secundarios|efecto+secundario
second 0 -     | if|when you|anyone|someone|somebody|your
second 0 -     | asked|asks|asking|ask _ if|whether
second 0 -     | anyone|anybody|alguien _ know|knows|else|sabe|sabes|mas
second 0 -     | pregunto|pregunta|preguntan _ si
second 0 -     | anyone|someone|people|those|friend|person|students|teens _ who
second 0 -     | si _ tu|alguien|usted|tienes|estas|sientes|piensas|amigo|amiga|conoces
second 0 -     | quien|quienes _ tenga|tengan|este|esten|sienta|sientan|piense|piensen
second 0 -     | personas|alguien|gente|jovenes _ que
laugh 0 -      | lol|lmao|lmfao|rofl|xd|jk|jaja*|haha*|jeje*|jiji*|ahah*|hehe*|skull
time 0 -       | tonight|tomorrow|today|hoy|manana|midnight|medianoche
time 0 -       | right now
time 0 -       | this weekend|morning|evening|afternoon
time 0 -       | esta noche|tarde
time 0 -       | ahora mismo
time 0 -       | este fin
time 0 -       | in an|one hour
time 0 -       | en una hora
means 0 -      | building|roof|rooftop|edificio|azotea|pills|pils|rope|noose|gun|knife|razor|blade|blades|bridge|ledge|tracks|train|bleach|poison|pastillas|pildoras|cuerda|soga|pistola|arma|navaja|cuchillo|cuchilla|puente|vias|tren|cloro|lejia|veneno|sobredosis|overdose
method 0 -     | # _ pills|pils|mg|tablets|pastillas|pildoras|grams|gramos
method 0 -     | # _ _ $WEAK
method 0 -     | #  milligrams|miligramos|mililitros|ml|g
method 0 -     | lethal|letal|mortal|fatal dose|dosis|amount|cantidad
method 0 -     | dose|dosis letal|mortal|fatal
method 0 -     | how|como|cuantas|cuantos _ tie|hacer|atar _ noose|knot|nudo|soga
method 0 -     | which|what|cual|que vein|veins|artery|vena|venas|arteria
method 0 -     | cut|cortar|corte _ vertical|vertically|lengthwise|along|down+the|a+lo+largo
method 0 -     | how|cuantos|cuantas many|high|pisos|metros _ floors|stories|fall|feet|meters|pisos|caida|altura
method 0 -     | carbon monoxide
method 0 -     | monoxido|carbon _ de? carbono|anafre
method 0 -     | charcoal|hose|exhaust|helium|helio|manguera _ _ car|tub|bag|coche|bolsa|tube|tubo|mask
method 0 -     | plastic|bolsa bag|de+plastico
method 0 -     | enough|whole|entire|suficiente|suficientes|entera|entero|bottle|frasco|caja|botella _ _ $WEAK
method 0 -     | $WEAK _ _ saved|stockpiled|hoarded|collected|counted|guardadas|guardados|contadas|ahorradas|suficientes|enough|entera|entero
method 0 -     | saved|saving|stockpiling|collecting|hoarding|juntando|juntar|guardando|guardado|juntado|junte _ _ $WEAK
// ---------- imminence cues (combined in detect.go: imminent) ----------
strong 0 -     | rope|noose|gun|pistol|rifle|razor|blade|blades|bridge|tracks|cliff|ledge|rooftop|bleach|poison|antifreeze|cuerda|soga|pistola|arma|navaja|cuchilla|cuchillas|puente|vias|azotea|precipicio|veneno|cloro|raticida|knife|cuchillo
strong 0 -     | car|coche|carro|motor|engine _ running|encendido|prendido
strong 0 -     | filled|llene _ tub|bathtub|tina|banera
weak 0 -       | pills|pils|meds|medication|medications|tablets|oxycodone|oxy|lithium|insulin|tylenol|paracetamol|acetaminophen|ibuprofen|xanax|opioids|fentanyl|heroin|painkillers|antidepressants|pastillas|pildoras|medicinas|medicamentos|oxicodona|litio|insulina|ansioliticos|somniferos|clonazepam|alprazolam|antidepresivos|calmantes
weak 0 -       | sleeping _ pills|tablets
decision 0 -   | made|taken|took my|the? decision
decision 0 -   | made up my mind
decision 0 -   | mind is made up
decision 0 -   | i _ decided|decide
decision 0 -   | not changing my mind
decision 0 -   | no going|turning back
decision 0 -   | it is|already done
decision 0 -   | plan is _ set|ready|made|done
decision 0 -   | i _ know exactly|when|how
decision 0 -   | ya _ decidi|decidido|decision
decision 0 -   | esta|tengo decidido
decision 0 -   | tome|tomado la decision
decision 0 -   | no voy a cambiar de opinion
decision 0 -   | no hay vuelta atras
decision 0 -   | ya esta hecho
decision 0 -   | el plan ya esta
decision 0 -   | ya? se exactamente|cuando|como
farewell 0 -   | tell|tel my __ sorry|love
farewell 0 -   | diganle|digan|digale __ mi __ siento|quiero|perdon
farewell 0 -   | perdon|perdonen|sorry por|for todo|everything
farewell 0 -   | last time i|i+wil _ write|post|be
farewell 0 -   | ultima vez que _ escribo|escribire|publico
farewell 0 -   | wanted|want someone|somebody|you _ to know
farewell 0 -   | queria|quiero que alguien _ supiera|sepa
farewell 0 -   | thank|thanks you? for trying
farewell 0 -   | gracias por intentarlo
farewell 0 -   | wil find them|me|it
farewell 0 -   | van a encontrar
farewell 0 -   | wil not matter
farewell 0 -   | ya no importara|importa
farewell 0 -   | going to be|wil+be with my _ son|daughter|mom|dad|wife|husband|him|her
farewell 0 -   | me voy con mi|el|ella
farewell 0 -   | despedirme|despido|despedi
farewell 0 -   | se despidio|despidieron
farewell 0 -   | said|says goodbye
urgent 0 -     | what do|should|can i do
urgent 0 -     | que hago|debo+hacer|puedo+hacer|hacemos
urgent 0 -     | please help
urgent 0 -     | help me|her|him|us
urgent 0 -     | ayudenme|ayuda|urgent|urgente|urgently
urgent 0 -     | just texted|told|called|messaged|posted
urgent 0 -     | acaba|acaban de
urgent 0 -     | right now
urgent 0 -     | ahora mismo
urgent 0 -     | not|no answering|responding|contesta|responde|picking+up
// ---------- arrangements, absence to come, last words (general cues) ----------
decision 0 -   | affairs|things|everything|todo|todos+mis+asuntos in|en order|orden
decision 0 -   | all|everything sorted|arranged|taken+care
decision 0 -   | it is all sorted|arranged|taken+care
decision 0 -   | todo arreglado|resuelto|organizado|listo
decision 0 -   | dejo|deje|dejado todo arreglado|listo|resuelto|en+orden
decision 0 -   | wrote|written|updated|made|hice|escribi my|mi will|testamento
decision 0 -   | insurance papers|paperwork|documents
decision 0 -   | papeles|poliza del seguro
decision 0 -   | know how and|y when|cuando
decision 0 -   | se como y cuando
decision 0 -   | gave|giving|given|regale|regalando|regalado _ away|my|mis|mi _ cat|dog|things|stuff|belongings|guitar|gato|perro|cosas|ropa
decision 0 -   | found|encontre a+home|un+hogar|casa for|para my? cat|dog|pets|gato|perro|mascotas
farewell 0 -   | nobody|no+one|nadie wil|tendra|va+a _ have+to|tener+que? worry|deal|cargar|preocuparse|aguantarme|soportarme _ about|with|por|de? me|mi
farewell 0 -   | no longer|never _ be a? burden|problem|bother
farewell 0 -   | ya no voy+a|vas+a|van+a ser _ problema|carga|molestia
farewell 0 -   | last time _ you|anyone|everyone|ustedes|guys|all _ wil? hear|see|read|saben|sabran
farewell 0 -   | say|saying|said bye|goodbye|adios
farewell 0 -   | quise|queria mucho
farewell 0 -   | quise|queria|quiero a todos|todas|ustedes
farewell 0 -   | love|loved you all
farewell 0 -   | thank|thanks you? all? for _ everything|all|being+there|the+last
farewell 0 -   | gracias por todo|estar
calm 0 -       | not|no loking|buscando _ for? help|hotline|numbers|ayuda|numeros|advice|consejos
calm 0 -       | do|does not matter anymore
calm 0 -       | ya nada importa
suicidal 2 -   | nobody|no+one|nadie wil|tendra|va+a _ have+to|tener+que? worry|deal|cargar|preocuparse _ about|with|por|de? me|mi _ after|despues|anymore|mas
suicidal 2 -   | ya no voy+a ser _ problema|carga|molestia de? para? nadie
farewell 0 -   | by+the+time|when you|anyone|someone _ read|reads|see|sees this
farewell 0 -   | cuando _ lean|leas|lea|vean|veas esto
forever 0 -    | ever|forever|nunca|ninguna|ninguno|para+siempre
farewell 0 -   | goodbye|adios|farewel
farewell 0 -   | ya no voy+a+estar|estare
farewell 0 -   | wil not be _ here|around|there
farewell 0 -   | made|make my peace
calm 0 -       | not afraid|scared _ anymore
calm 0 -       | at|en peace|paz
calm 0 -       | feel|feeling|me+siento _ calm|tranquila|tranquilo|ligera|ligero
calm 0 -       | no more pain
calm 0 -       | se acaba|acabara|termina el dolor
calm 0 -       | ya no tengo miedo
calm 0 -       | not|no _ try|intenten|traten to? stop|detener|detenerme me?
calm 0 -       | nobody|nadie needs|tiene _ to? call|llamar
calm 0 -       | do not need help
calm 0 -       | no necesito ayuda
calm 0 -       | do not worry about? me?
calm 0 -       | no se preocupen|preocupes
place 0 -      | i+am|estoy|sitting|standing|sentada|sentado|parada|parado _ on|at|in|en|sobre _ roof|rooftop|bridge|tracks|ledge|edge|garage|azotea|puente|vias|cornisa|borde|cochera|techo|balcon|balcony
place 0 -      | going to|voy+a|me+voy+a _ the? tracks|bridge|vias|puente|roof|azotea
quantity 0 -   | enough|al|every|whole|entire|suficiente|suficientes|todas|todos|entera|entero|bunch|handful|bottle|frasco|caja|botella _ _ $WEAK
quantity 0 -   | $WEAK _ _ saved|stockpiled|hoarded|collected|counted|guardadas|guardados|contadas|ahorradas|suficientes|enough|entera|entero
quantity 0 -   | saved|saving|stockpiling|collecting|hoarding|juntando|juntar|guardando|guardado|juntado|junte _ _ $WEAK
quantity 0 -   | have|tengo that+many|esas|enough|suficiente|suficientes
time 0 -       | friday|saturday|sunday|monday|tuesday|wednesday|thursday|viernes|sabado|domingo|lunes|martes|miercoles|jueves
time 0 -       | after this|despues+de+esto
time 0 -       | by monday|friday|morning|tonight
// ---------- endings, hiding, places apart, notes (combined in detect.go: imminent) ----------
final 0 -      | this is it|the+end
final 0 -      | for good
final 0 -      | para siempre
final 0 -      | not|never coming|going back|home
final 0 -      | no pienso|planeo volver|regresar
idiom 0 -      | not|never coming|going back|home __ until|till|til|for|before|after|tonight|today|this|next|hasta|antes|despues|early|late|soon|anytime
idiom 0 -      | no voy+a|pienso|planeo volver|regresar __ hasta|antes|temprano|pronto|esta|este|el|la
final 0 -      | no voy a volver|regresar
final 0 -      | no volvere|regresare|vuelvo
final 0 -      | one|my last time
final 0 -      | last time anyone|anybody|you|they|everyone|people hear|hears|see|sees|wil
final 0 -      | ultima vez que me|nos? ven|oyen|escuchan|veran|sabran|saben
final 0 -      | una|mi ultima vez
final 0 -      | my|mi time|hora has|ha come|llegado
final 0 -      | llego mi hora
final 0 -      | not|no _ be|estar here|aqui|around _ tomorrow|manana
final 0 -      | esto es todo|el+final|el+fin
secret 0 -     | nobody|no+one|nadie knows|sabe __ where|donde|here|aqui|alla|there
secret 0 -     | told|telling|tel no+one|nobody|anyone
secret 0 -     | without telling anyone|anybody
secret 0 -     | sin decirle|avisarle a nadie
secret 0 -     | no le dije|avise a nadie
secret 0 -     | nadie me va a encontrar|buscar
secret 0 -     | no one|nobody wil find|look
secret 0 -     | nobody|no+one|nadie knows|sabe
secret 0 -     | nadie sabe que vine|sali|estoy|ando|me+fui
secret 0 -     | nobody|no+one|nadie is|esta? home|en+casa|around
remote 0 -     | here|aqui|alla|there alone|sola|solo|by+myself
remote 0 -     | alone|sola|solo here|aqui|out+here|alla
remote 0 -     | hotel|motel room|habitacion alone?
remote 0 -     | room|habitacion|cuarto|car|truck|coche|carro alone|sola|solo|by+myself
remote 0 -     | habitacion|cuarto de hotel|motel
remote 0 -     | i+am|estoy|sitting|parked|sentado|sentada|parada|parado|stopped|aqui|here _ in|at|by|on|near|en|junto|cerca _ _ lake|river|woods|forest|quarry|cliff|cliffs|beach|ocean|sea|motel|dock|pier|garage|reservoir|parking|station|tracks|platform|lago|estacion|vias|anden|rio|bosque|monte|playa|mar|cantera|acantilado|muelle|motel
remote 0 -     | drove|drive|driving|walked|going|go|heading|voy|ir|irme|fui|vine|llegue|maneje|camine|manejando|maneje _ _ to|out+to|hasta|al|a+la _ _ lake|river|woods|forest|quarry|cliff|beach|ocean|coast|lago|rio|bosque|monte|playa|mar|cantera|acantilado|costa
note 0 -       | left|leave|leaving|wrote|writing|written|deje|dejo|dejando|escribi|escribiendo a|my|the|una|mi|la|las|unas|mis? note|letter|letters|notes|carta|cartas|nota|notas
go 0 -         | am|wil|be leaving|going+away _ tonight|today|soon
go 0 -         | me voy|ire|marcho|largo _ esta+noche|hoy
go 0 -         | leaving tonight
go 0 -         | tonight|today|hoy i|me go|leave|voy|ire
go 0 -         | tonight|today i+am|i+wil going+away|leaving|gone
go 0 -         | hoy|esta+noche me voy|ire|marcho
// ---------- passive wishes, the way out, harm on purpose ----------
suicidal 2 -   | never want to wake _ up
suicidal 2 -   | dormirme|dormir|quedarme+dormida|quedarme+dormido|dormirme __ para siempre
suicidal 2 -   | not|no know|se|entiendo|understand|see why|para+que|por+que i? _ keep|still|sigo|sigue|seguir _ waking|wake|despertando|despertandome|alive|here|vivo|viva|aqui
suicidal 2 -   | rather|prefiero|preferiria not|no _ exist|existir|be+alive|vivir|seguir+viva|seguir+vivo|estar+viva|estar+vivo
suicidal 2 -   | better|easier|mejor|facil _ _ if? i? not|no _ here|around|aqui|estoy|estuviera anymore?
suicidal 2 -   | better|easier|mejor|facil __ if|si __ not|no _ here|around|aqui|estoy|estuviera|existiera|existo
suicidal 2 -   | better+off|would+get|would+have|would+be+fine _ _ insurance
suicidal 2 -   | vale|valdria|valgo mas _ seguro
suicidal 2 -   | kids|children|family|wife|husband|parents|hijos|familia|esposa|esposo _ _ estaria+mejor|estarian+mejor|better+off|would+get|would+have|cobraria|cobrarian|tendrian|tendria _ _ _ insurance|seguro
suicidal 2 -   | disappointed|sad|upset|angry|mad|decepciona|decepcionada|decepcionado|triste __ still|seguir|sigo alive|here|viva|vivo|aqui|despierta|despierto
suicidal 2 -   | not|no be|being|estar here|around|aqui anymore|longer|mas
suicidal 2 -   | ya no estar|existir
suicidal 2 -   | ya no voy+a+estar|estare _ _ mas+facil|mejor|tranquilos|en+paz
suicidal 2 -   | wil not be here|around _ _ easier|better
suicidal 2 -   | ya no quiero estar|existir
suicidal 2 -   | life? insurance|policy|seguro __ pay|pays|payout|cover|covers|cubre|paga|pagaria|cobraria|cobrarian _ _ suicide|suicidio|if+i|si+me|si+yo|when+i|cuando+me
suicidal 2 g   | insurance|policy|poliza|seguro ___ suicide|suicidio
suicidal 2 -   | when|once|after i+am not here|around anymore
suicidal 2 -   | cuando ya no este|estes|exista __ nadie|todos|mejor|extranar|extranara|extranen|feliz|felices|tranquilos|descansar|descansaran|paz
suicidal 2 -   | checked|checking|looked|looking|read|reading|revise|revisando|averigue|mirando|busque ___ life+insurance|seguro+de+vida
idiom 0 -      | life+insurance|seguro+de+vida _ quote|quotes|rates|cotizacion|mortgage|hipoteca|renewal|renovacion|company|compania|agent|agente|job|trabajo
suicidal 2 -   | and|y sleep|dormir|dormirme forever|para+siempre
suicidal 2 -   | wish|want|hope|ojala|quisiera|quiero ___ stay|quedarme asleep|dormida|dormido
suicidal 2 -   | sleep|asleep _ and not|never come back
suicidal 2 -   | no volver a despertar|despertarme
suicidal 2 -   | tired|cansado|cansada|harto|harta of|de waking|despertar|despertarme
idiom 0 -      | waking|despertar|despertarme up? early|temprano|at|a|for|para|so|tan|con
idiom 0 -      | wake|waking|woke|despertar|despierte|despertara up? the|my|her|him|them|everyone|al|a+la|a+mi|a+los baby|kids|neighbors|dog|roommate|bebe|nino|nina|ninos|vecinos|perro|everyone|her|him|them
idiom 0 -      | burn|burned|burnt|burning|queme|quemo my|los|las|mis? ___ summer|pool|sun|sunburn|beach|verano|piscina|alberca|sol|playa
idiom 0 -      | no este|estes en|con la|el|mi empresa|trabajo|oficina|escuela|casa|equipo|ciudad|pais|proyecto|grupo
suicidal 2 -   | wish|ojala|quisiera i|yo? was|were not|no here|around|alive
suicidal 2 -   | i was|were not here|around anymore
idiom 0 -      | not|no here|there|aqui|alli __ meeting|party|class|lecture|school|work|office|wedding|concert|line|queue|traffic|dentist|doctor|lame|boring|reunion|fiesta|clase|trabajo|oficina|boda|fila|trafico|dentista|aburrida|aburrido
idiom 0 -      | cortes|corte de pelo|cabello|luz|carne
self_harm 2 -  | me hago|hice|hacia|sigo+haciendo cortes|cortadas|quemaduras|heridas
self_harm 2 -  | me pego|pegue|golpee|golpeo|lastimo|corto a? mi misma|mismo
suicidal 2 -   | kids|children|family|wife|husband|they|hijos|familia|esposa|esposo _ wil|would|could|can get|collect|have my life? insurance
self_harm 2 -  | hold|held|holding|put|keep|kept my hand|hands|arm|arms|fingers|skin|wrist over|on|in|under|against ___ on+purpose|deliberately|until
suicidal 2 -   | close|cerrar my|los eyes|ojos _ _ never|not|no open|abrirlos|abrir|volver+a+abrirlos
suicidal 2 -   | quiero|quisiera|ojala ___ se acabe|termine todo
suicidal 2 i   | leaving|left|leave|dejar|dejando this|este world|mundo for+good|forever|para+siempre
self_harm 2 -  | bang|banging|smash|smashing my head|fists on the? wall|walls|floor
self_harm 2 -  | razor|razors|blade|blades|box+cutter|cuchilla|cuchillas|navaja|exacto ___ for+when|in+case|para+cuando|por+si _ _ bad|worse|urge|urges|mal|peor|ganas|cut|cortarme|need+to|necesito
farewell 0 -   | made|make|hice|hecho peace|paz with|con everything|dying|death|my+death|todo|la+muerte|mi+muerte|morir
suicidal 2 -   | worth more dead|valgo+mas+muerto|valgo+mas+muerta
suicidal 2 -   | would|could|wil get|collect|cobrar|cobraria|cobrarian|cobren my|el|mi life? insurance|seguro
suicidal 2 -   | quiero|quisiera|ojala ___ todo termine|acabe|se+acabe|terminara|acabara
suicidal 2 -   | not|no be|sere|ser|seguir+siendo a|un|una? problem|burden|problema|carga|molestia _ for|para anyone|anybody|nadie|you|ustedes|everyone|nobody
suicidal 2 -   | wake|woke|waking|despierto|desperte up? and|y wish|wishing|ojala|quisiera i|no _ had+not|did+not|despertado|hubiera|despertara
suicidal 2 -   | this|it is the end|it for me
suicidal 2 -   | es el fin|final para mi
self_harm 2 -  | burned|burnt|burn|burning|cut|cuting|hit|hiting|punched|scratched|scalded|carved|bruised myself ___ on+purpose|deliberately|intentionally|to+feel
self_harm 2 -  | burned|burnt|burn|burning|cut|cuting|hit|hiting|punched|scratched|scalded|carved|bruised my arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|belly|hand|hands|face|head|chest|fingers|ankles ___ on+purpose|deliberately|intentionally|to+feel
self_harm 2 -  | me queme|quemo|corte|corto|golpee|golpeo|pegue|pego|lastime|lastimo|rasgune ___ a+proposito|adrede|para+sentir
self_harm 2 -  | burned|burnt|cut|carved|scratched myself with|again _ lighter|cigarette|razor|blade|knife|scissors|glass|again?
self_harm 2 -  | me golpeo|pego|golpee|golpeando|pegando _ _ contra la pared
self_harm 2 -  | keep+hitting|bang|banging|punching my head|fists _ against|into the? wall|walls
self_harm 2 -  | burned|burnt|cut|carved|scratched my arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|belly with|again|until
self_harm 2 -  | me queme|corte|rasgune el|la|los|las|mis brazo|brazos|muneca|munecas|pierna|piernas|muslo|muslos|piel|panza con|otra+vez|hasta
leisure 0 -    | with|con my|our|mis|mi|nuestros|nuestra friends|family|kids|husband|wife|boyfriend|girlfriend|partner|dad|mom|parents|dog|amigos|amigas|familia|hijos|esposo|esposa|novio|novia|pareja|papa|mama|padres|perro
dest 0 -       | for|to|a|al|para my|the|mi|la|el? parents|moms|dads|house|place|work|office|airport|job|shift|camp|class|gym|practice|party|casa|trabajo|oficina|aeropuerto|turno|campamento|clase|gimnasio|fiesta
ordinary 0 -   | resignation|renuncia|job|empresa|trabajo|exam|exams|finals|examen|examenes|semestre|semester|college|school|graduation|class|clases|escuela|universidad|apartment|departamento|lease|contrato|wedding|boda|proposing|propose|rent|alquiler
leisure 0 -    | secret|secreto|surprise|trip|hunting|hunt|range|caza|cazar|vacation|holiday|summer|party|birthday|wedding|fishing|camping|picnic|concert|swim|swimming|sorpresa|viaje|vacaciones|verano|fiesta|cumpleanos|boda|pesca|pescar|acampar|campamento|concierto|nadar
purpose 0 -    | against+the+wall|contra+la+pared|on+purpose|deliberately|intentionally|a+proposito|adrede
idiom 0 -      | accidentally|accidently|sin+querer|por+accidente _ burned|burnt|cut|hit|queme|corte|golpee
idiom 0 -      | burned|burnt|cut|hit|queme|corte|golpee ___ accidentally|accident|accidente|sin+querer|cooking|stove|oven|pan|cocinando|estufa|horno|sarten
// ---------- anniversaries: a past date, not now ----------
distant 0 -    | # years|months|yrs _ ago|back today|tonight|this+week|this+month
distant 0 -    | years|months|decades|year|decade ago today|tonight
distant 0 -    | hace _ anos|meses|ano hoy|esta+noche
distant 0 -    | that winter|summer|fall|autumn|spring|year
distant 0 -    | aquella|aquel noche|invierno|verano|otono|primavera|ano|epoca|vez
distant 0 -    | marks|cumplo|cumple|se+cumplen _ years|months|anos|meses
`

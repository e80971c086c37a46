import { fold } from "./fold.js";

/**
 * Words that carry no topic, per language, plus generic verbs ("does it work with…", "how long does it
 * take"), adverbs that only stress a question ("how does it work exactly?"), judgements of the price ("is it
 * expensive?" asks the price, which the price entry answers) and the words a customer uses for the product
 * itself ("can your tool…", "¿la herramienta…?"): they neither count for nor against relevance. Written
 * with their accents; compared folded, as questions are.
 */
export const stopwords = new Set(
  `a an the and or but if of to in on at for from by with about as is are was were be been am do does did have has had i me my we our you your he she it
  they them their this that these those what which who whom how when where why can could would should will shall may might must please hi hello hey
  thanks thank ok okay yes no not so just also there here any some much many more most very want need like know tell get
  el la los las un una unos unas y o pero de del al en con por para que qué es son era ser estar está están yo mi mis tú tu tus usted ustedes nosotros
  lo le les se me te nos como cómo cuando cuándo donde dónde por qué quiero necesito hola gracias sí no muy más puede pueden hay
  o a os as um uma uns umas e ou mas de do da dos das em no na nos nas com por para que é são ser estar está eu meu minha você vocês nós
  como quando onde porque quero preciso olá oi obrigado obrigada sim não muito mais pode podem tem
  de het een en of maar van in op aan voor met om dat die dit deze wat wie hoe wanneer waar waarom is zijn was ik mijn je jij jouw u uw wij we ons
  kan kunnen wil willen graag hallo hoi dank bedankt ja nee niet heel meer er jullie
  der die das ein eine einer eines und oder aber von zu im in am an auf für mit um dass was wer wie wann wo warum ist sind war ich mein meine du
  sie ihr ihre wir uns euch euer eure eurem euren eurer seid kann können möchte will hallo danke bitte ja nein nicht sehr mehr gibt es
  work works working use using used make makes give offer provide possible way thing things something anything guys help helps
  take takes taking took up down out off over into expensive cheap cheaper pricey affordable caro cara barato barata duur goedkoop teuer
  günstig
  funciona funcionan funcionar funcionam werkt werken funktioniert funktionieren
  whats hows wheres whens whos ur yu ya yall wanna gonna im ive dont cant doesnt isnt pls plz thx pq vcs voces tb
  ask asks asking asked stop show explain send share enviar envia envie mandar manda mande sturen stuur schicken schick senden
  info infos information informacion informaciones informacao informacoes informatie informationen details detalles detalhes
  saber weten wissen gostaria gostariamos quisiera quisieramos gustaria hätte hätten gerne zou zouden quería queríamos queria queriamos
  anyone anybody someone somebody alguien alguém iemand jemand
  exactly actually really basically again then now still already even ever exactamente realmente entonces exatamente então entao
  precies eigenlijk echt dan nu genau eigentlich wirklich dann jetzt
  us him her his its ayudarnos ayudarme ayudarte ayudarles ajudar-nos ajudar-me
  ayudar ayuda ajudar ajuda helpen helfen hace hacen hacer hacemos faz fazem fazer fazemos doen doet doe machen macht mache tun tut
  ofrece ofrecen ofrecer oferece oferecem oferecer bieden biedt biedet bieten bietet anbieten
  tiene tienen tengo tenemos tenho temos têm heb hebt heeft hebben habe hast hat haben habt
  tool tools product products solution solutions software platform bot bots chatbot chatbots herramienta herramientas producto productos solución
  ferramenta ferramentas produto produtos solução plataforma oplossing producten werkzeug produkt produkte lösung plattform`
    .split(/\s+/)
    .filter(Boolean)
    .map(fold),
);

"""Danish word lists and text templates for the demo municipality.

Data only: the generators in ``municipality`` and ``filling`` pick from these lists.  All
user-visible content is Danish.  Every list value that must match the workbook spec
(roles, dialogue forms, goal types, methods, units, directions) is spelled exactly as in
``workbook/kontraktbog.toml``.

Text templates use ``str.format`` placeholders; the generator supplies them:
``{aar}`` contract year, ``{forrige}`` the year before, ``{navn}`` institution name,
``{brugere}``/``{ansatte}`` formatted numbers, ``{spor}`` school tracks, ``{foerste}``
first contract year, ``{goal}`` a goal title, ``{pct}`` a percentage.
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------- spec values
# Spelled exactly as in the spec's [lister].

LEDER = "Leder/formand"
MEDARBEJDER = "Medarbejderrepræsentant"
BRUGER = "Bruger/pårørende"
ANDET = "Andet"

MED_BRUGERE = "Brugere/pårørende"
MED_MEDARBEJDERE = "Medarbejdere"
MED_BEGGE = "Begge"

BT = "Brugertilfredshed"
MT = "Medarbejdertilfredshed"
FK = "Faglig kvalitet"
KU = "Kompetenceudvikling"
DI = "Dialog og inddragelse"
ST = "Sundhed og trivsel"
OD = "Økonomi og drift"
AN = "Andet"

SPM = "Spørgeskemaundersøgelse"
REG = "Registrering"
DOK = "Dokumentation"
DIA = "Dialogmøde"
AUD = "Audit"
NT = "Nøgletal fra fagsystem"

PCT = "Procent"
ANT = "Antal"
PT = "Point (skala 1-5)"
DG = "Dage"
TM = "Timer"
KR = "Kroner"
JN = "Ja/Nej"

H = "Højere er bedre"
L = "Lavere er bedre"
# JN doubles as the direction "Ja/Nej".


# --------------------------------------------------------------------------- people

FIRST_NAMES_F: tuple[str, ...] = (
    "Anne", "Mette", "Hanne", "Susanne", "Lene", "Lone", "Maria", "Camilla", "Louise",
    "Charlotte", "Tina", "Pia", "Marianne", "Helle", "Kirsten", "Karina", "Rikke", "Gitte",
    "Bente", "Dorte", "Jette", "Inge", "Birgitte", "Trine", "Julie", "Sofie", "Ida", "Emma",
    "Cecilie", "Line", "Signe", "Malene", "Stine", "Katrine", "Nanna", "Sanne", "Heidi",
    "Lise", "Annette", "Vibeke", "Randi", "Merete", "Jytte", "Ulla", "Tove", "Karen", "Eva",
    "Henriette", "Maja", "Laura", "Josefine", "Christina", "Anja", "Britt", "Lotte", "Ditte",
    "Mia", "Sara", "Fatima", "Aisha", "Zeynep", "Amira", "Solveig", "Ane", "Marlene",
    "Pernille", "Bodil", "Åse", "Sørine", "Grethe", "Hella", "Ingrid", "Asta", "Frida",
)  # fmt: skip

FIRST_NAMES_M: tuple[str, ...] = (
    "Jens", "Peter", "Michael", "Lars", "Henrik", "Thomas", "Søren", "Niels", "Jesper",
    "Morten", "Anders", "Christian", "Martin", "Rasmus", "Jan", "Per", "Ole", "Kim", "Steen",
    "Bo", "Torben", "Claus", "Frank", "Brian", "Kasper", "Mads", "Jonas", "Mikkel",
    "Frederik", "Simon", "Jakob", "Nikolaj", "Kenneth", "Allan", "Poul", "Erik", "Hans",
    "Karsten", "Bjarne", "Flemming", "Carsten", "René", "Dennis", "Jørgen", "Kristian",
    "Tobias", "Emil", "Ali", "Mohammed", "Ahmad", "Hassan", "Kristoffer", "Esben", "Asger",
    "Troels", "Ulrik", "Palle", "Bent", "Leif", "Øjvind", "Aksel", "Bjørn", "Gorm", "Ebbe",
    "Villads", "Holger", "Svend", "Knud", "Finn", "Jørn", "Tue", "Anton",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen",
    "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Holm",
    "Schmidt", "Eriksen", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen",
    "Iversen", "Jeppesen", "Vestergaard", "Mogensen", "Nygaard", "Bach", "Kjær", "Dahl",
    "Lauridsen", "Brandt", "Bertelsen", "Friis", "Lindberg", "Skov", "Bang", "Krogh", "Juhl",
    "Winther", "Dam", "Høgh", "Østergaard", "Gade", "Bisgaard", "Thygesen", "Toft",
    "Korsgaard", "Storm", "Lykke", "Koch", "Ravn", "Yilmaz", "Hussein", "Ahmadi", "Nguyen",
    "Kowalski", "Søgaard", "Mølgaard", "Aagaard", "Kjærgaard", "Nørgaard", "Dalgaard",
)  # fmt: skip

MIDDLE_NAMES: tuple[str, ...] = (
    "Holm", "Lund", "Dam", "Bach", "Skov", "Juul", "Krog", "Munk", "Berg", "Kjær", "Brix",
    "Vinther", "Hald", "Bøgh", "Mørk", "Løvschall",
)  # fmt: skip

# Private e-mail domains for users/relatives in the contract group.
PRIVATE_MAIL_DOMAINS: tuple[str, ...] = ("mail.dk", "outlook.dk", "gmail.com", "live.dk")

# --------------------------------------------------------------------------- places

# Districts and villages of the fictional municipality.  None of them is the name of one of
# Denmark's 98 municipalities.
PLACES: tuple[str, ...] = (
    "Egebjerg", "Kildevang", "Bøgelund", "Strandmark", "Højager", "Lindholm", "Rosenlund",
    "Østerhøj", "Vesterled", "Nørremark", "Søndervang", "Engelsholm", "Mosedal", "Ådalen",
    "Bakkegården", "Kirkebjerg", "Møllehøj", "Tranegård", "Hasselbakken", "Ellekær",
    "Birkelund", "Askehave", "Tjørnevang", "Ravnsholt", "Fuglsang", "Sølyst", "Lærkevang",
    "Fasanhøj", "Åbrinken", "Kærby", "Holmsted", "Vibeholm", "Krogsbæk", "Sandager",
    "Hyldegård", "Rødkilde", "Grønnevang", "Ørnebjerg", "Ulvedal", "Tofthøj", "Stenløkke",
    "Havnely", "Nyvang", "Gammelby", "Damgård", "Marievang", "Solbakken", "Kongshøj",
    "Skelager", "Bredmose", "Elmelund", "Vindeby",
)  # fmt: skip

# Nature words for day care centres and after-school clubs.
NATURE_NAMES: tuple[str, ...] = (
    "Mælkebøtten", "Solsikken", "Troldehøjen", "Spiren", "Regnbuen", "Myretuen",
    "Humlebien", "Kastanjen", "Skovsneglen", "Mariehønen", "Græshoppen", "Bikuben",
    "Egernet", "Pindsvinet", "Svalereden", "Lærkereden", "Kløverengen", "Valmuen",
    "Tusindfryd", "Fyrtårnet", "Søstjernen", "Muslingen", "Ællingen", "Pilehytten",
    "Stjernedrys", "Troldeskoven", "Bøgebladet", "Agernet", "Hasselnødden", "Blåbærret",
    "Kornblomsten", "Anemonen", "Ugleredet", "Rævegraven", "Åkanden", "Sommerfuglen",
    "Guldsmeden", "Snurretoppen", "Krudtuglen", "Bakketoppen", "Æblehaven", "Skovbrynet",
    "Engbakken", "Firkløveren", "Lindetræet", "Rønnebærret", "Vildrosen", "Hyldebusken",
)  # fmt: skip

CARE_HOME_NAMES: tuple[str, ...] = (
    "Humlebo", "Egebo", "Lindebo", "Rosenhaven", "Solgården", "Birkebo", "Bøgehøj",
    "Kastanjegården", "Lærkehøj", "Engbo", "Strandbo", "Møllebo", "Toftebo", "Hybenhaven",
    "Fyrrebo", "Solhøj", "Ellebo", "Kildebo", "Æblegården", "Akaciegården", "Ahornhuset",
    "Syrenbo",
)  # fmt: skip

RESIDENCE_NAMES: tuple[str, ...] = (
    "Kildehuset", "Lyngbakken", "Toftegården", "Solstrålen", "Fyrrebakken", "Engtoften",
    "Havebo", "Nøddehegnet", "Pilealléen", "Stjernehuset", "Mosehuset", "Bakkehuset",
    "Lindehuset", "Ankerhus", "Skovly", "Fyrtøjet", "Vandkunsten", "Sønderhus",
)  # fmt: skip

CULTURE_NAMES: tuple[str, ...] = (
    "Remisen", "Pakhuset", "Værket", "Mejeriet", "Posthuset", "Smedien", "Kedelhuset",
    "Stationen", "Bryggeriet", "Teglværket", "Pumpehuset", "Maltfabrikken",
)  # fmt: skip

STREETS: tuple[str, ...] = (
    "Kirkevej", "Møllevej", "Skolevej", "Engvej", "Stationsvej", "Parkvej", "Strandvej",
    "Bakkevej", "Skovvej", "Søvej", "Birkevej", "Lindevej", "Ågade", "Torvegade",
)  # fmt: skip

DISTRICTS: tuple[str, ...] = ("Nord", "Syd", "Øst", "Vest", "Midt")

JOB_DEPARTMENTS: tuple[str, ...] = (
    "Jobcentret, Ungeenheden", "Jobcentret, Virksomhedsservice",
    "Jobcentret, Sygedagpengeteamet", "Jobcentret, Integrationsteamet",
    "Jobcentret, Ressourceforløb og jobafklaring", "Jobcentret, Kontanthjælpsteamet",
    "Jobcentret, A-dagpengeteamet", "Jobcentret, Fleksjob og ledighedsydelse",
)  # fmt: skip

# --------------------------------------------------------------------------- committees

BUU = "Børne- og Undervisningsudvalget"
SSU = "Social- og Sundhedsudvalget"
KFU = "Kultur- og Fritidsudvalget"
TMU = "Teknik- og Miljøudvalget"
BIU = "Beskæftigelses- og Integrationsudvalget"

COMMITTEES: tuple[str, ...] = (BUU, SSU, KFU, TMU, BIU)


@dataclass(frozen=True)
class TypeSpec:
    """One kind of institution in the register."""

    type: str  # shown as "Virksomhedstype"
    udvalg: str
    family: str  # key into the goal, dialogue and staff tables below
    weight: int  # number of institutions of this type per 120
    # Name patterns: (template, pool).  The pool's word replaces "{}"; pool "" = fixed name.
    patterns: tuple[tuple[str, str], ...]
    leder_titler: tuple[str, ...]
    ansatte: tuple[int, int]
    brugere: tuple[int, int] | None  # None: the field is left empty


# Pools referenced by the name patterns ("place_c" = places that read well as a compound).
TYPES: tuple[TypeSpec, ...] = (
    TypeSpec(
        "Skole", BUU, "skole", 18,
        (("{} Skole", "place"), ("{}skolen", "place_c"), ("{} Skole", "place"),
         ("Skolen ved {}", "street")),
        ("Skoleleder",), (35, 95), (280, 860),
    ),
    TypeSpec(
        "Daginstitution", BUU, "dagtilbud", 44,
        (("Børnehuset {}", "nature"), ("Børnehaven {}", "nature"), ("Vuggestuen {}", "nature"),
         ("Daginstitution {}", "nature"), ("Naturbørnehaven {}", "nature"),
         ("Børnehuset {}", "nature")),
        ("Daginstitutionsleder", "Institutionsleder", "Leder"), (9, 36), (38, 170),
    ),
    TypeSpec(
        "SFO/fritidshjem", BUU, "sfo", 8,
        (("SFO {}", "place"), ("Fritidshjemmet {}", "nature"), ("{}skolens SFO", "place_c")),
        ("SFO-leder", "Afdelingsleder"), (6, 22), (70, 320),
    ),
    TypeSpec(
        "Ungdomsskole", BUU, "undervisning", 1,
        (("Ungdomsskolen i {}", "kommune"), ("{} Ungdomsskole", "place")),
        ("Ungdomsskoleleder",), (14, 42), (380, 1250),
    ),
    TypeSpec(
        "Sundhedspleje", BUU, "sundhedspleje", 1,
        (("Sundhedsplejen", ""), ("Sundhedsplejen, Distrikt {}", "district")),
        ("Ledende sundhedsplejerske",), (9, 22), (380, 900),
    ),
    TypeSpec(
        "Tandpleje", BUU, "tandpleje", 1,
        (("Den Kommunale Tandpleje", ""), ("Tandklinikken {}", "place")),
        ("Overtandlæge", "Klinikchef"), (14, 42), (4800, 12500),
    ),
    TypeSpec(
        "Plejecenter", SSU, "pleje", 8,
        (("Plejecenter {}", "care"), ("Plejehjemmet {}", "care"), ("Plejecenter {}", "care")),
        ("Centerleder", "Forstander", "Plejecenterleder"), (38, 125), (28, 110),
    ),
    TypeSpec(
        "Hjemmepleje", SSU, "hjemmepleje", 6,
        (("Hjemmeplejen Distrikt {}", "district"), ("Hjemmeplejen {}", "place")),
        ("Distriktsleder", "Områdeleder"), (45, 140), (230, 720),
    ),
    TypeSpec(
        "Bosted/botilbud", SSU, "bosted", 7,
        (("Bostedet {}", "residence"), ("Botilbuddet {}", "residence"),
         ("Bofællesskabet {}", "street"), ("Døgntilbuddet {}", "residence")),
        ("Forstander", "Afdelingsleder"), (14, 62), (6, 42),
    ),
    TypeSpec(
        "Aktivitetscenter", SSU, "aktivitet", 3,
        (("Aktivitetscentret {}", "place"), ("Seniorhuset {}", "place"),
         ("Aktivitetshuset {}", "culture")),
        ("Centerleder", "Aktivitetsleder"), (4, 16), (140, 620),
    ),
    TypeSpec(
        "Træningscenter", SSU, "traening", 1,
        (("Træningscentret {}", "place"), ("Sundheds- og Træningscenter {}", "place")),
        ("Leder af træning og rehabilitering",), (14, 36), (600, 1600),
    ),
    TypeSpec(
        "Bibliotek", KFU, "bibliotek", 3,
        (("{} Bibliotek", "place"), ("Hovedbiblioteket", ""), ("Biblioteket {}", "culture")),
        ("Biblioteksleder", "Bibliotekschef"), (6, 42), (2800, 21000),
    ),
    TypeSpec(
        "Fritids- og kulturcenter", KFU, "kultur", 4,
        (("Kulturhuset {}", "culture"), ("Fritidscentret {}", "place"),
         ("{} Medborgerhus", "place"), ("Ungdomshuset {}", "culture")),
        ("Centerleder", "Kulturhusleder"), (4, 22), (450, 4200),
    ),
    TypeSpec(
        "Idrætsanlæg", KFU, "idraet", 4,
        (("{}hallen", "place_c"), ("{} Idrætspark", "place"), ("Svømmehallen {}", "place"),
         ("{} Stadion", "place")),
        ("Idrætschef", "Halinspektør", "Centerchef"), (4, 18), (1400, 8500),
    ),
    TypeSpec(
        "Musikskole", KFU, "undervisning", 1,
        (("Musikskolen i {}", "kommune"), ("{} Musikskole", "place")),
        ("Musikskoleleder",), (18, 46), (450, 1250),
    ),
    TypeSpec(
        "Vej og park", TMU, "vejpark", 2,
        (("Vej og Park {}", "district"), ("Park og Natur {}", "district"),
         ("Materielgården {}", "place")),
        ("Driftsleder", "Driftschef"), (22, 64), None,
    ),
    TypeSpec(
        "Genbrugsplads", TMU, "genbrug", 2,
        (("Genbrugspladsen {}", "place"), ("Genbrugsstationen {}", "place")),
        ("Pladsleder", "Driftsleder"), (4, 12), None,
    ),
    TypeSpec(
        "Jobcenter", BIU, "job", 5,
        (("{}", "job"),),
        ("Afdelingsleder", "Teamleder"), (18, 62), (600, 2600),
    ),
    TypeSpec(
        "Sprogcenter", BIU, "sprog", 1,
        (("Sprogcentret {}", "place"), ("Sprogcenter {}", "kommune")),
        ("Forstander",), (14, 42), (280, 950),
    ),
)  # fmt: skip

TYPES_BY_NAME: dict[str, TypeSpec] = {t.type: t for t in TYPES}

# --------------------------------------------------------------------------- focus areas


@dataclass(frozen=True)
class FocusTemplate:
    """A political focus area a committee may announce.

    ``tags`` link it to goal templates with a common tag; ``families`` limits it to some
    kinds of institution (empty: all of the committee's institutions).
    """

    titel: str
    beskrivelse: str
    tags: tuple[str, ...]
    families: tuple[str, ...] = ()


def _f(titel: str, beskrivelse: str, tags: str, families: str = "") -> FocusTemplate:
    return FocusTemplate(titel, beskrivelse, tuple(tags.split()), tuple(families.split()))


# At least nine per committee: a year draws 3-5, the next year keeps some and adds new.
FOCUS_POOL: dict[str, tuple[FocusTemplate, ...]] = {
    BUU: (
        _f("Trivsel og fællesskab for alle børn",
           "Alle børn og unge skal opleve at høre til i et fællesskab. Udvalget ønsker mål, der styrker trivslen og forebygger mobning og ensomhed.",
           "trivsel inklusion"),
        _f("Sprog og læring fra start",
           "En tidlig og systematisk indsats for børns sproglige udvikling i dagtilbud og indskoling, så flere børn er klar til skolestart.",
           "laering", "dagtilbud skole sfo"),
        _f("Forældresamarbejde og dialog",
           "Forældrene er vigtige samarbejdspartnere. Udvalget ønsker flere konkrete initiativer, der inddrager forældrene i børnenes hverdag og læring.",
           "dialog"),
        _f("Inkluderende læringsmiljøer",
           "Flere børn skal kunne trives og lære i almentilbuddet. Mål under dette område skal styrke den faglige kvalitet i inklusionsarbejdet.",
           "inklusion kvalitet", "dagtilbud skole sfo"),
        _f("Bevægelse og sundhed i hverdagen",
           "Børn og unge skal bevæge sig mere i løbet af dagen. Mad, motion og søvn er en del af det pædagogiske arbejde.",
           "sundhed"),
        _f("Arbejdsglæde og lavere sygefravær",
           "Gode arbejdspladser med tid til kerneopgaven. Udvalget ønsker mål, der øger arbejdsglæden og nedbringer sygefraværet.",
           "medarbejder"),
        _f("Kompetenceløft af pædagoger og lærere",
           "Medarbejderne skal have de kompetencer, der skal til for at løfte alle børn. Efter- og videreuddannelse prioriteres.",
           "kompetence", "dagtilbud skole sfo undervisning"),
        _f("Tilfredse forældre og elever",
           "Forældrenes og elevernes oplevelse af tilbuddene skal måles og forbedres, og resultaterne skal bruges aktivt.",
           "bruger"),
        _f("Naturen som læringsrum og grøn omstilling",
           "Dagtilbud og skoler bruger naturen og lokalområdet i undervisningen og arbejder med bæredygtighed i hverdagen.",
           "groen sundhed", "dagtilbud skole sfo"),
        _f("Fra skole til ungdomsuddannelse",
           "Flere unge skal gennemføre en ungdomsuddannelse. Overgangen fra grundskole til uddannelse skal styrkes.",
           "uddannelse", "skole undervisning"),
    ),
    SSU: (
        _f("Værdighed og livskvalitet i ældreplejen",
           "Ældre borgere skal opleve en værdig hverdag med indflydelse på eget liv, gode måltider og meningsfulde aktiviteter.",
           "bruger kvalitet", "pleje hjemmepleje aktivitet traening"),
        _f("Rehabilitering og hverdagsmestring",
           "Flere borgere skal kunne klare sig selv længst muligt. Træning og rehabilitering tænkes ind i alle forløb.",
           "sundhed kvalitet", "pleje hjemmepleje traening bosted"),
        _f("Tryghed og patientsikkerhed",
           "Færre fald, færre medicineringsfejl og færre utilsigtede hændelser. Udvalget ønsker målbare forbedringer af kvaliteten.",
           "kvalitet", "pleje hjemmepleje bosted"),
        _f("Samarbejde med pårørende",
           "Pårørende er en ressource. Udvalget ønsker mål, der styrker dialogen og samarbejdet med de pårørende.",
           "dialog", "pleje hjemmepleje bosted"),
        _f("Rekruttering, fastholdelse og arbejdsglæde",
           "Det skal være attraktivt at arbejde i kommunens sundheds- og socialområde. Arbejdsglæde og lavere sygefravær prioriteres.",
           "medarbejder"),
        _f("Kompetencer til fremtidens velfærd",
           "Medarbejderne skal have de rette kompetencer, bl.a. inden for demens, psykiatri og sygepleje.",
           "kompetence"),
        _f("Mad og måltider",
           "Måltidet er en vigtig del af hverdagen. Maden skal være god, og måltiderne skal være rare at være en del af.",
           "mad", "pleje hjemmepleje bosted aktivitet"),
        _f("Et liv uden ensomhed",
           "Ingen borger skal være ufrivilligt ensom. Fællesskaber, frivillige og aktiviteter skal nå flere.",
           "trivsel faellesskab"),
        _f("Velfærdsteknologi og digitale løsninger",
           "Teknologi skal frigøre tid til omsorg og give borgerne mere selvstændighed.",
           "digital"),
        _f("Borgerens egne mål i botilbud",
           "Borgere i botilbud skal have indflydelse på egne mål og hverdag, og indsatsen skal følges systematisk op.",
           "bruger kvalitet dialog", "bosted"),
    ),
    KFU: (
        _f("Flere borgere i kultur- og foreningslivet",
           "Flere borgere skal være aktive i kultur- og foreningslivet, også dem der ikke deltager i dag.",
           "bruger faellesskab"),
        _f("Børn og unges kulturliv",
           "Alle børn skal møde kunst og kultur. Tilbuddene skal samarbejde med skoler og dagtilbud.",
           "laering faellesskab"),
        _f("Bevægelse for alle",
           "Idrætsfaciliteterne skal bruges mere og af flere, både af foreninger og af selvorganiserede motionister.",
           "sundhed", "idraet kultur"),
        _f("Frivillighed og samarbejde med foreningerne",
           "Frivillige og foreninger er en forudsætning for et rigt fritidsliv. Samarbejdet skal styrkes.",
           "faellesskab dialog"),
        _f("Biblioteket og kulturhuset som mødested",
           "Bibliotekerne og kulturhusene skal være åbne mødesteder for alle borgere i lokalområdet.",
           "faellesskab bruger", "bibliotek kultur"),
        _f("Digital dannelse",
           "Borgerne skal kunne begå sig digitalt. Bibliotekerne og kulturinstitutionerne hjælper og underviser.",
           "digital laering", "bibliotek kultur undervisning"),
        _f("Service og tilfredse brugere",
           "Brugernes oplevelse af service, åbningstider og faciliteter skal måles og forbedres.",
           "bruger"),
        _f("Arbejdsmiljø og kompetencer",
           "Medarbejderne skal trives og have mulighed for at udvikle sig fagligt.",
           "medarbejder kompetence"),
        _f("Bedre udnyttelse af faciliteterne",
           "Kommunens lokaler og anlæg skal bruges mere effektivt, så der bliver plads til flere aktiviteter.",
           "oekonomi", "idraet kultur"),
    ),
    TMU: (
        _f("En ren og velholdt kommune",
           "Veje, stier og grønne områder skal være rene og velholdte, og fejl skal udbedres hurtigt.",
           "bruger kvalitet"),
        _f("Mere genanvendelse",
           "Mere affald skal sorteres og genanvendes. Borgerne skal have let adgang til vejledning.",
           "groen", "genbrug"),
        _f("Klimatilpasning og biodiversitet",
           "Flere arealer skal udlægges til vild natur, og kommunens drift skal tilpasses et vådere klima.",
           "groen", "vejpark"),
        _f("Hurtig og god service til borgerne",
           "Henvendelser fra borgerne skal besvares hurtigt og præcist.",
           "bruger"),
        _f("Sikkerhed og arbejdsmiljø",
           "Ingen skal komme til skade på arbejdet. Arbejdsulykker og nærved-hændelser skal nedbringes.",
           "medarbejder sundhed"),
        _f("Effektiv og grøn drift",
           "Driften skal være effektiv, og maskiner og køretøjer skal omstilles til el.",
           "oekonomi groen"),
        _f("Dialog med borgerne om lokalområdet",
           "Borgerne skal inddrages i udviklingen af de grønne områder i deres lokalområde.",
           "dialog"),
        _f("Kompetencer i driften",
           "Medarbejderne i driften skal have de kompetencer, som nye opgaver og ny teknologi kræver.",
           "kompetence"),
        _f("Trafiksikkerhed",
           "Skoleveje og stier skal være sikre. Skader på veje og belysning skal udbedres hurtigt.",
           "kvalitet", "vejpark"),
    ),
    BIU: (
        _f("Flere i job og uddannelse",
           "Flere borgere skal være selvforsørgende. Indsatsen skal være virksomhedsrettet og tage udgangspunkt i borgerens ressourcer.",
           "beskaeftigelse"),
        _f("Unge i uddannelse",
           "Flere unge under 30 år skal i gang med og gennemføre en uddannelse.",
           "beskaeftigelse uddannelse", "job"),
        _f("Tæt samarbejde med virksomhederne",
           "Jobcentret skal være en attraktiv samarbejdspartner for de lokale virksomheder.",
           "beskaeftigelse dialog"),
        _f("Dansk og integration",
           "Nye borgere skal hurtigt lære dansk og komme i job. Sprogundervisningen skal kobles til arbejdspladsen.",
           "laering inklusion", "sprog job"),
        _f("Borgerens oplevelse af jobcentret",
           "Borgerne skal opleve at blive mødt med respekt og at have indflydelse på eget forløb.",
           "bruger dialog"),
        _f("Kortere sygefraværsforløb",
           "Sygemeldte borgere skal hurtigere tilbage i arbejde gennem en tidlig og koordineret indsats.",
           "beskaeftigelse sundhed", "job"),
        _f("Medarbejdertrivsel og faglighed",
           "Medarbejderne skal trives og have de faglige kompetencer, som en ny lovgivning kræver.",
           "medarbejder kompetence"),
        _f("Hurtig og korrekt sagsbehandling",
           "Borgerne skal have svar inden for fristerne, og afgørelserne skal være korrekte.",
           "kvalitet bruger", "job"),
        _f("Digital selvbetjening",
           "Flere borgere skal kunne bruge de digitale løsninger, og de, der ikke kan, skal have hjælp.",
           "digital"),
    ),
}  # fmt: skip

# --------------------------------------------------------------------------- goals


@dataclass(frozen=True)
class GoalTemplate:
    """One contract goal an institution may propose.

    ``baseline`` is the range the starting value is drawn from; ``aendring`` the range of the
    planned improvement (always positive; the direction gives its sign).  ``decimaler`` is the
    number of decimals (negative: round to tens, hundreds, thousands).  Ja/Nej goals have
    ``enhed`` and ``retning`` "Ja/Nej" and ignore the ranges.
    """

    titler: tuple[str, ...]
    beskrivelse: str
    maaltype: str
    indikator: str
    maalemetode: str
    enhed: str
    retning: str
    baseline: tuple[float, float]
    aendring: tuple[float, float]
    decimaler: int
    dokumentationskrav: str
    tags: tuple[str, ...]


def _g(
    titler: str,
    beskrivelse: str,
    maaltype: str,
    indikator: str,
    metode: str,
    enhed: str,
    retning: str,
    baseline: tuple[float, float],
    aendring: tuple[float, float],
    decimaler: int,
    dok: str,
    tags: str,
) -> GoalTemplate:
    return GoalTemplate(
        tuple(titler.split("|")), beskrivelse, maaltype, indikator, metode, enhed, retning,
        baseline, aendring, decimaler, dok, tuple(tags.split()),
    )  # fmt: skip


def _jn(
    titler: str, beskrivelse: str, maaltype: str, indikator: str, metode: str, dok: str, tags: str
) -> GoalTemplate:
    return _g(
        titler, beskrivelse, maaltype, indikator, metode, JN, JN, (0, 0), (0, 0), 0, dok, tags
    )


# Goals every kind of institution may propose.
COMMON_GOALS: tuple[GoalTemplate, ...] = (
    _g("Lavere sygefravær|Nedbringelse af sygefraværet",
       "Vi vil nedbringe sygefraværet gennem tidlig omsorgssamtale, bedre planlægning og fokus på det psykiske arbejdsmiljø.",
       ST, "Sygefravær (dage pr. fuldtidsansat)", NT, DG, L,
       (9.5, 16.0), (1.0, 3.0), 1,
       "Udtræk fra lønsystemet for perioden 1. januar–31. december {aar}, opgjort af HR.",
       "medarbejder"),
    _g("Større arbejdsglæde|Flere glade medarbejdere",
       "Vi vil styrke arbejdsglæden ved at give medarbejderne mere indflydelse på planlægningen og tid til faglig sparring.",
       MT, "Andel medarbejdere med høj trivsel", SPM, PCT, H,
       (66, 84), (3, 8), 0,
       "Resultatrapport fra kommunens trivselsmåling {aar} for virksomheden.",
       "medarbejder"),
    _g("Alle medarbejdere har en udviklingsplan",
       "Alle medarbejdere skal efter MUS have en skriftlig plan for deres faglige udvikling, som følges op i løbet af året.",
       KU, "Andel medarbejdere med en aftalt, skriftlig udviklingsplan", REG, PCT, H,
       (40, 72), (15, 30), 0,
       "Oversigt over gennemførte MUS-samtaler og aftalte udviklingsplaner pr. 1. december {aar}.",
       "kompetence medarbejder"),
    _jn("Ny APV-handleplan er udarbejdet og fulgt op",
        "Arbejdspladsvurderingen skal føre til en konkret handleplan, som arbejdsmiljøgruppen følger op på.",
        MT, "Handleplanen er udarbejdet, drøftet i SU og fulgt op", DOK,
        "Handleplan og referat fra SU-mødet, hvor opfølgningen er drøftet.",
        "medarbejder"),
    _g("Bedre trivsel i personalegruppen",
       "Vi arbejder med fælles værdier, tydelige forventninger og en god feedbackkultur.",
       MT, "Gennemsnitlig score for samlet trivsel i trivselsmålingen", SPM, PT, H,
       (3.4, 4.0), (0.1, 0.4), 1,
       "Trivselsmålingens rapport for {aar} med sammenligning til sidste måling.",
       "medarbejder"),
    _g("Kompetenceløft i personalegruppen",
       "Flere medarbejdere skal gennemføre kompetencegivende efteruddannelse, og viden fra kurserne skal deles med kollegerne.",
       KU, "Antal medarbejdere, der har gennemført et kompetencegivende kursus eller en uddannelse", REG, ANT, H,
       (2, 8), (2, 6), 0,
       "Liste over gennemførte kurser og uddannelser med kursusbeviser.",
       "kompetence"),
    _jn("Introduktionsprogram for nye medarbejdere",
        "Nye medarbejdere skal have en god start med en fast makker og en skriftlig introduktionsplan.",
        KU, "Introduktionsprogrammet er beskrevet og taget i brug", DOK,
        "Det skriftlige introduktionsprogram og en oversigt over nyansatte, der har gennemført det.",
        "kompetence medarbejder"),
    _g("Bedre dialog mellem ledelse og medarbejdere",
       "Vi vil inddrage medarbejderne tidligere i beslutninger og holde faste dialogmøder i alle teams.",
       DI, "Andel medarbejdere, der er enige i, at de bliver inddraget i beslutninger om deres arbejde", SPM, PCT, H,
       (52, 72), (5, 12), 0,
       "Resultat af spørgsmålet i trivselsmålingen {aar} samt referater fra dialogmøderne.",
       "medarbejder"),
    _g("Lavere udgifter til vikarer",
       "Bedre vagtplanlægning og en intern vikarpulje skal nedbringe brugen af eksterne vikarer.",
       OD, "Udgift til eksterne vikarer i kroner pr. år", NT, KR, L,
       (180000, 650000), (30000, 120000), -3,
       "Udtræk fra økonomisystemet pr. 31. december {aar}.",
       "oekonomi"),
    _jn("Affaldssortering i alle afdelinger",
        "Vi indfører sortering af affald i alle afdelinger og inddrager brugerne i arbejdet.",
        AN, "Affaldssortering er indført i alle afdelinger", DOK,
        "Billeddokumentation og kort beskrivelse af sorteringsløsningen.",
        "groen"),
)  # fmt: skip

GOALS: dict[str, tuple[GoalTemplate, ...]] = {
    "skole": (
        _g("Elevernes trivsel|Bedre trivsel for alle elever",
           "Vi vil styrke elevernes trivsel gennem klassemøder, legepatruljer og en tydelig antimobbestrategi.",
           ST, "Andel elever, der svarer positivt i den nationale trivselsmåling", SPM, PCT, H,
           (74, 84), (3, 8), 0,
           "Skolens resultat i den nationale trivselsmåling {aar}, opgjort for indskoling, mellemtrin og udskoling.",
           "trivsel inklusion"),
        _g("Lavere elevfravær|Højere fremmøde",
           "Vi følger op på fravær allerede fra tredje fraværsdag og samarbejder tæt med forældrene.",
           FK, "Gennemsnitligt elevfravær i procent af skoledagene", NT, PCT, L,
           (5.5, 8.5), (0.8, 2.0), 1,
           "Fraværsstatistik fra skolens administrative system for skoleåret.",
           "trivsel kvalitet"),
        _g("Flere sikre læsere|Styrket læsning i indskolingen",
           "Læsevejlederen og lærerne i indskolingen arbejder med målrettede læseforløb og lånebøger til hjemmet.",
           FK, "Andel elever i 2.-4. klasse, der er sikre læsere i skolens læsetest", REG, PCT, H,
           (62, 78), (4, 10), 0,
           "Opgørelse af læsetestresultater fra maj {aar}, udarbejdet af læsevejlederen.",
           "laering"),
        _g("Flere unge i gang med en ungdomsuddannelse",
           "Udskolingen styrker uddannelsesvejledningen og brobygningen til ungdomsuddannelserne.",
           FK, "Andel elever, der 15 måneder efter 9. klasse er i gang med en ungdomsuddannelse", NT, PCT, H,
           (78, 88), (2, 6), 0,
           "Tal fra Undervisningsministeriets datavarehus for afgangsårgangen.",
           "laering uddannelse"),
        _g("Mere bevægelse i skoledagen",
           "Alle klasser har daglige bevægelsesaktiviteter, og frikvartererne gøres mere aktive.",
           ST, "Gennemsnitligt antal minutter bevægelse pr. skoledag, registreret af klasselærerne", REG, ANT, H,
           (22, 38), (5, 15), 0,
           "Registreringsskema for fire stikprøveuger i løbet af året.",
           "sundhed"),
        _g("Tilfredse forældre",
           "Vi vil styrke skole-hjem-samarbejdet med bedre information på Aula og faste forældresamtaler.",
           BT, "Andel tilfredse brugere/pårørende", SPM, PCT, H,
           (70, 84), (3, 8), 0,
           "Resultat af forældretilfredshedsundersøgelsen {aar}, inkl. svarprocent.",
           "bruger dialog"),
        _jn("Handleplan for sprogarbejde er udarbejdet",
            "Skolen udarbejder en fælles handleplan for arbejdet med elever, der har dansk som andetsprog.",
            FK, "Handleplanen er udarbejdet og godkendt i skolebestyrelsen", DOK,
            "Handleplanen og referatet fra skolebestyrelsens møde.",
            "laering inklusion"),
        _g("Færre konflikter i frikvartererne",
           "Flere voksne i gården, legepatruljer og faste lege skal give roligere frikvarterer.",
           ST, "Antal registrerede konflikter i gårdvagternes log pr. måned", REG, ANT, L,
           (18, 35), (4, 12), 0,
           "Månedlig opgørelse fra gårdvagternes log.",
           "trivsel inklusion"),
        _g("Elevrådet inddrages i skolens udvikling",
           "Elevrådet får fast mødetid med skoleledelsen og inddrages i beslutninger om skolens hverdag.",
           DI, "Antal møder mellem elevrådet og skoleledelsen i skoleåret", REG, ANT, H,
           (2, 4), (2, 4), 0,
           "Referater fra møderne mellem elevråd og ledelse.",
           "dialog bruger"),
        _g("Flere elever i almenklassen",
           "Med co-teaching og et styrket ressourcecenter vil vi give flere elever et godt skoletilbud i almenklassen.",
           FK, "Andel elever fra skoledistriktet, der går i almenklasse", NT, PCT, H,
           (93.0, 96.0), (0.5, 1.5), 1,
           "Opgørelse fra Pladsanvisningen pr. 5. september {aar}.",
           "inklusion"),
    ),
    "dagtilbud": (
        _g("Styrket sprogarbejde|Flere børn med alderssvarende sprog",
           "Vi arbejder systematisk med dialogisk læsning og sprogstimulering i små grupper.",
           FK, "Andel børn, der i sprogvurderingen ved 3 år har alderssvarende sprog", REG, PCT, H,
           (72, 84), (3, 8), 0,
           "Opgørelse af sprogvurderinger i perioden januar–november {aar}.",
           "laering"),
        _jn("Handleplan for sprogarbejde er udarbejdet",
            "Institutionen udarbejder en fælles handleplan for sprogarbejdet, som alle stuer arbejder efter.",
            FK, "Handleplanen er udarbejdet og drøftet i forældrebestyrelsen", DOK,
            "Handleplanen og referatet fra forældrebestyrelsens møde.",
            "laering"),
        _g("Tilfredse forældre|Større forældretilfredshed",
           "Vi vil give forældrene bedre indblik i børnenes hverdag gennem billeder, opslag og korte samtaler ved aflevering.",
           BT, "Andel tilfredse brugere/pårørende", SPM, PCT, H,
           (78, 88), (2, 6), 0,
           "Resultat af forældretilfredshedsundersøgelsen {aar} for institutionen.",
           "bruger"),
        _g("Mere tid i naturen",
           "Alle børnegrupper kommer ud i naturen flere gange om ugen, også om vinteren.",
           ST, "Gennemsnitligt antal timer pr. uge, hvor børnegrupperne er ude", REG, TM, H,
           (6, 10), (2, 5), 0,
           "Stuernes ugeskemaer for fire stikprøveuger.",
           "sundhed groen"),
        _g("God overgang til skole",
           "Vi samarbejder med skolerne om besøg og fælles aktiviteter, så de kommende skolebørn føler sig trygge.",
           FK, "Andel kommende skolebørn, der har været på mindst to besøg på skolen inden skolestart", REG, PCT, H,
           (55, 75), (10, 25), 0,
           "Oversigt over skolebesøg udarbejdet af førskolepædagogerne.",
           "laering dialog"),
        _g("Bedre forældresamarbejde",
           "Alle forældre tilbydes mindst én udviklingssamtale om året om deres barns trivsel og læring.",
           DI, "Andel forældre, der har haft en udviklingssamtale inden for det seneste år", REG, PCT, H,
           (70, 85), (5, 15), 0,
           "Oversigt over gennemførte forældresamtaler pr. 1. december {aar}.",
           "dialog bruger"),
        _g("Sund mad og gode måltider",
           "Køkkenet og pædagogerne arbejder sammen om sund mad og rolige måltider, hvor børnene selv øser op.",
           ST, "Andel måltider, der lever op til kostpolitikken ved stikprøvekontrol", AUD, PCT, H,
           (70, 85), (5, 12), 0,
           "Auditrapport fra kostkonsulenten.",
           "sundhed mad"),
        _g("Færre børn i utrivsel",
           "Vi bruger trivselsvurderingen tre gange om året og sætter hurtigt ind over for børn i mistrivsel.",
           ST, "Antal børn, der i trivselsvurderingen vurderes i gul eller rød", REG, ANT, L,
           (6, 14), (2, 5), 0,
           "Opgørelse af trivselsvurderingen fra november {aar}.",
           "trivsel inklusion"),
        _g("Fælles faglig refleksion",
           "Personalet holder faste læringsmøder om den styrkede pædagogiske læreplan.",
           KU, "Antal pædagogiske læringsmøder med fokus på den styrkede pædagogiske læreplan", REG, ANT, H,
           (4, 8), (2, 6), 0,
           "Referater fra læringsmøderne.",
           "kompetence kvalitet"),
    ),
    "sfo": (
        _g("Flere børn i aktiviteterne",
           "Vi udvider udbuddet af værksteder og aktiviteter, som børnene selv har været med til at vælge.",
           BT, "Gennemsnitligt antal børn pr. dag i valgfrie aktiviteter", REG, ANT, H,
           (40, 90), (8, 20), 0,
           "Daglige registreringer i aktivitetsoversigten.",
           "bruger faellesskab"),
        _g("Børnenes trivsel i SFO'en",
           "Børnene interviewes om, hvad der er godt og skidt, og vi følger op på deres forslag.",
           ST, "Andel børn, der svarer glad eller meget glad i smileyundersøgelsen", SPM, PCT, H,
           (75, 86), (3, 8), 0,
           "Resultat af smileyundersøgelsen, opgjort pr. klassetrin.",
           "trivsel"),
        _g("Tilfredse forældre",
           "Forældrene får bedre information om aktiviteterne gennem ugebreve og billeder.",
           BT, "Andel forældre, der er tilfredse eller meget tilfredse med SFO'en", SPM, PCT, H,
           (72, 85), (3, 8), 0,
           "Resultat af forældreundersøgelsen {aar}.",
           "bruger"),
        _g("Bedre samarbejde med skolen",
           "SFO-pædagoger og lærere i indskolingen planlægger sammen og deler viden om børnene.",
           DI, "Antal fælles planlægningsmøder mellem SFO-pædagoger og lærere i indskolingen", REG, ANT, H,
           (4, 8), (3, 6), 0,
           "Referater fra planlægningsmøderne.",
           "dialog kvalitet"),
        _g("Mere bevægelse efter skoletid",
           "Hver dag byder på mindst én aktivitet med leg og bevægelse, ude eller i hallen.",
           ST, "Antal ugentlige idræts- og bevægelsesaktiviteter", REG, ANT, H,
           (3, 6), (2, 4), 0,
           "Aktivitetsoversigter for fire stikprøveuger.",
           "sundhed"),
        _jn("Fælles regler for skærmtid",
            "Vi udarbejder retningslinjer for skærmbrug sammen med børnene og forældrerådet.",
            FK, "Retningslinjerne er udarbejdet og godkendt i forældrerådet", DOK,
            "Retningslinjerne og referatet fra forældrerådets møde.",
            "digital dialog"),
    ),
    "undervisning": (
        _g("Flere elever på holdene",
           "Vi markedsfører holdene bredere og udvikler nye tilbud sammen med de unge.",
           BT, "Antal indskrevne elever pr. 1. oktober", NT, ANT, H,
           (420, 950), (30, 90), 0,
           "Udtræk fra elevadministrationssystemet pr. 1. oktober {aar}.",
           "bruger faellesskab"),
        _g("Færre elever stopper undervejs",
           "Underviserne følger op, når en elev udebliver, og vi tilpasser holdene bedre til elevernes niveau.",
           FK, "Andel elever, der stopper på et hold inden sæsonens afslutning", REG, PCT, L,
           (12, 22), (2, 6), 0,
           "Opgørelse fra elevadministrationssystemet ved sæsonafslutning.",
           "kvalitet trivsel"),
        _g("Elevernes tilfredshed med undervisningen",
           "Alle hold evalueres, og underviserne drøfter resultaterne på personalemøder.",
           BT, "Gennemsnitlig vurdering af undervisningen i elevevalueringen", SPM, PT, H,
           (3.8, 4.3), (0.1, 0.4), 1,
           "Samlet rapport fra elevevalueringen {aar}.",
           "bruger"),
        _g("Samarbejde med folkeskolerne",
           "Vi tilbyder forløb i samarbejde med kommunens skoler, så flere elever møder vores tilbud.",
           DI, "Antal forløb gennemført i samarbejde med kommunens skoler", REG, ANT, H,
           (4, 10), (2, 5), 0,
           "Oversigt over gennemførte forløb med skolernes navne og antal deltagere.",
           "dialog laering"),
        _g("Flere koncerter og forestillinger",
           "Eleverne optræder for borgerne ved arrangementer i hele kommunen.",
           BT, "Antal offentlige koncerter, forestillinger og udstillinger", REG, ANT, H,
           (8, 18), (2, 6), 0,
           "Kalender over afholdte arrangementer med antal publikummer.",
           "faellesskab bruger"),
        _g("Kortere venteliste",
           "Flere hold og bedre planlægning af undervisningstimerne skal give plads til flere elever.",
           BT, "Antal elever på venteliste pr. 1. september", REG, ANT, L,
           (30, 90), (10, 30), 0,
           "Udtræk af ventelisten pr. 1. september {aar}.",
           "bruger"),
    ),
    "sundhedspleje": (
        _g("Tidligt første besøg",
           "Alle nybagte familier skal have besøg af sundhedsplejersken hurtigt efter hjemkomsten.",
           FK, "Andel familier, der får første hjemmebesøg senest 10 dage efter fødslen", NT, PCT, H,
           (80, 90), (2, 6), 0,
           "Udtræk fra børnejournalen for hele året.",
           "kvalitet sundhed"),
        _g("Flere børn ammes længere",
           "Vi styrker ammevejledningen med ekstra besøg og en ammecafé.",
           ST, "Andel spædbørn, der fuldammes ved 4 måneders alderen", NT, PCT, H,
           (50, 64), (3, 8), 0,
           "Udtræk fra børnejournalen, opgjort for børn født i {aar}.",
           "sundhed"),
        _g("Tilfredse forældre",
           "Forældrene spørges om deres oplevelse af besøgene og rådgivningen.",
           BT, "Andel forældre, der er tilfredse eller meget tilfredse med sundhedsplejen", SPM, PCT, H,
           (84, 91), (2, 5), 0,
           "Resultat af tilfredshedsundersøgelsen {aar}.",
           "bruger"),
        _g("Flere i forældregrupper",
           "Alle førstegangsforældre tilbydes en forældregruppe, også fædre.",
           DI, "Andel førstegangsforældre, der deltager i en forældregruppe", REG, PCT, H,
           (60, 75), (5, 12), 0,
           "Registrering af deltagere i forældregrupperne.",
           "dialog faellesskab"),
        _g("Tidlig opsporing af fødselsdepression",
           "Alle mødre og fædre screenes, så vi kan hjælpe tidligt.",
           FK, "Andel mødre, der er screenet for efterfødselsreaktion ved 8 uger", REG, PCT, H,
           (68, 85), (5, 12), 0,
           "Opgørelse af screeninger fra børnejournalen.",
           "sundhed kvalitet"),
    ),
    "tandpleje": (
        _g("Flere børn uden huller",
           "Forebyggelse gennem tandbørsteinstruktion og fluorbehandling af børn med høj risiko.",
           ST, "Andel 15-årige uden huller i tænderne", NT, PCT, H,
           (55, 68), (2, 6), 0,
           "Udtræk fra journalsystemet og Sundhedsdatastyrelsens opgørelse for {aar}.",
           "sundhed"),
        _g("Færre udeblivelser",
           "SMS-påmindelser og lettere ombooking skal nedbringe antallet af tomme tider.",
           OD, "Andel udeblivelser fra indkaldte tider", NT, PCT, L,
           (6.0, 10.0), (1.0, 3.0), 1,
           "Udtræk fra bookingsystemet for hele året.",
           "oekonomi kvalitet"),
        _g("Tilfredse børn og forældre",
           "Vi spørger forældrene, hvordan de og børnene oplever besøgene på klinikken.",
           BT, "Andel forældre, der er tilfredse eller meget tilfredse med tandplejen", SPM, PCT, H,
           (82, 90), (2, 5), 0,
           "Resultat af tilfredshedsundersøgelsen {aar}.",
           "bruger"),
        _g("Tandbørstning i daginstitutionerne",
           "Tandplejen besøger daginstitutionerne og underviser børn og personale i tandbørstning.",
           ST, "Antal daginstitutioner, der har haft besøg af tandplejen", REG, ANT, H,
           (8, 20), (4, 10), 0,
           "Oversigt over besøg med dato og institution.",
           "sundhed dialog"),
    ),
    "pleje": (
        _g("Færre faldulykker|Færre fald blandt beboerne",
           "Alle nye beboere faldscreenes, og personalet arbejder med træning, lys og hjælpemidler.",
           FK, "Antal registrerede fald pr. måned", REG, ANT, L,
           (10, 18), (3, 6), 0,
           "Månedlig faldregistrering og opgørelse af utilsigtede hændelser.",
           "kvalitet sundhed"),
        _g("Større tilfredshed med maden",
           "Beboerne inddrages i menuplanen, og vi spiser sammen i mindre grupper.",
           BT, "Andel beboere, der er tilfredse eller meget tilfredse med maden", SPM, PCT, H,
           (60, 78), (5, 12), 0,
           "Resultat af beboerinterview om maden, gennemført i oktober {aar}.",
           "bruger mad"),
        _g("Færre medicineringsfejl",
           "Dobbelttjek ved dosering og faste medicingennemgange med lægen.",
           FK, "Antal utilsigtede hændelser vedrørende medicin pr. kvartal", REG, ANT, L,
           (8, 16), (2, 6), 0,
           "Opgørelse fra indrapporteringssystemet for utilsigtede hændelser.",
           "kvalitet"),
        _g("Godt samarbejde med de pårørende",
           "Alle pårørende tilbydes en forventningssamtale, og vi holder pårørendemøder to gange om året.",
           DI, "Andel pårørende, der oplever et godt samarbejde med personalet", SPM, PCT, H,
           (70, 82), (4, 10), 0,
           "Resultat af pårørendeundersøgelsen {aar}.",
           "dialog bruger"),
        _g("Flere beboere deltager i aktiviteter",
           "Aktiviteterne tilrettelægges ud fra beboernes livshistorie og ønsker, også for beboere med demens.",
           ST, "Andel beboere, der deltager i mindst én aktivitet om ugen", REG, PCT, H,
           (45, 65), (8, 15), 0,
           "Aktivitetsregistrering for fire stikprøveuger.",
           "trivsel faellesskab"),
        _jn("Alle beboere har en opdateret døgnrytmeplan",
            "Døgnrytmeplanerne gennemgås, så de beskriver beboernes ønsker og vaner.",
            FK, "Døgnrytmeplanerne er gennemgået og opdateret for alle beboere", AUD,
            "Auditrapport over døgnrytmeplanerne.",
            "kvalitet bruger"),
        _g("Færre tryksår",
           "Risikovurdering ved indflytning og systematisk brug af trykaflastende hjælpemidler.",
           FK, "Antal beboere med tryksår kategori 2 eller højere", REG, ANT, L,
           (4, 9), (1, 3), 0,
           "Kvartalsvis opgørelse fra omsorgsjournalen.",
           "kvalitet sundhed"),
        _g("Demensfaglige kompetencer",
           "Flere medarbejdere gennemfører demensuddannelsen, og vi uddanner demensnøglepersoner.",
           KU, "Andel medarbejdere, der har gennemført demensuddannelse", REG, PCT, H,
           (40, 65), (10, 25), 0,
           "Oversigt over uddannede medarbejdere pr. 1. december {aar}.",
           "kompetence"),
        _g("Mindre ensomhed blandt beboerne",
           "Frivillige besøgsvenner og små fællesskaber på afdelingerne skal bryde ensomheden.",
           ST, "Andel beboere, der svarer, at de sjældent eller aldrig føler sig ensomme", SPM, PCT, H,
           (55, 70), (5, 10), 0,
           "Resultat af beboerinterview, gennemført af aktivitetsmedarbejderne.",
           "trivsel faellesskab"),
    ),
    "hjemmepleje": (
        _g("Færre forskellige hjælpere i hjemmet",
           "Faste teams omkring borgerne skal give tryghed og kontinuitet.",
           BT, "Gennemsnitligt antal forskellige medarbejdere pr. borger pr. 14 dage", NT, ANT, L,
           (8, 13), (2, 4), 0,
           "Udtræk fra planlægningssystemet for to stikprøveperioder.",
           "bruger kvalitet"),
        _g("Besøgene kommer til tiden",
           "Bedre ruteplanlægning skal sikre, at borgerne ved, hvornår hjælpen kommer.",
           FK, "Andel besøg, der starter inden for det aftalte tidsrum", NT, PCT, H,
           (82, 91), (3, 6), 0,
           "Udtræk fra planlægningssystemet for hele året.",
           "kvalitet bruger"),
        _g("Tilfredse borgere",
           "Vi spørger borgerne om deres oplevelse af hjælpen og følger op på forslagene.",
           BT, "Andel tilfredse brugere/pårørende", SPM, PCT, H,
           (76, 86), (3, 7), 0,
           "Resultat af brugerundersøgelsen i hjemmeplejen {aar}.",
           "bruger"),
        _g("Flere borgere bliver selvhjulpne",
           "Rehabiliteringsforløb tilbydes alle nye borgere, hvor det giver mening.",
           FK, "Andel afsluttede rehabiliteringsforløb, hvor borgeren er helt eller delvist selvhjulpen", NT, PCT, H,
           (45, 60), (5, 12), 0,
           "Udtræk fra omsorgssystemet over afsluttede forløb.",
           "sundhed kvalitet"),
        _g("Mere velfærdsteknologi i hjemmene",
           "Skærmbesøg og elektroniske medicindispensere giver borgerne mere selvstændighed.",
           FK, "Antal borgere, der bruger skærmbesøg eller elektronisk medicindispenser", REG, ANT, H,
           (15, 40), (10, 25), 0,
           "Opgørelse fra velfærdsteknologiteamet pr. 1. december {aar}.",
           "digital"),
        _g("Færre forebyggelige indlæggelser",
           "Tidlig opsporing med triagering på teammøderne skal forebygge indlæggelser.",
           FK, "Antal forebyggelige indlæggelser pr. kvartal blandt borgere med hjemmepleje", NT, ANT, L,
           (10, 22), (2, 6), 0,
           "Kvartalsvise tal fra sundhedsstyrelsens nøgletal for kommunen.",
           "kvalitet sundhed"),
        _g("Mere tid hos borgerne",
           "Mindre kørsel og færre dobbeltregistreringer skal give mere tid ansigt til ansigt.",
           OD, "Andel af arbejdstiden, der er borgerrettet", NT, PCT, H,
           (52, 60), (2, 5), 0,
           "Udtræk fra planlægningssystemet for hele året.",
           "oekonomi kvalitet"),
    ),
    "bosted": (
        _g("Beboernes indflydelse på hverdagen",
           "Faste husmøder, hvor beboerne selv sætter dagsordenen.",
           DI, "Antal husmøder med beboerne", REG, ANT, H,
           (4, 8), (4, 8), 0,
           "Referater fra husmøderne.",
           "dialog bruger"),
        _g("Færre magtanvendelser",
           "Personalet arbejder med low arousal og konfliktnedtrapning.",
           FK, "Antal indberettede magtanvendelser pr. år", REG, ANT, L,
           (8, 20), (3, 8), 0,
           "Opgørelse af indberetninger til forvaltningen for {aar}.",
           "kvalitet"),
        _g("Flere beboere i beskæftigelse eller dagtilbud",
           "Sammen med beboerne finder vi meningsfulde aktiviteter i dagtimerne.",
           ST, "Andel beboere med et fast beskæftigelses- eller aktivitetstilbud", REG, PCT, H,
           (55, 72), (5, 12), 0,
           "Oversigt over beboernes dagtilbud pr. 1. november {aar}.",
           "trivsel faellesskab"),
        _g("Færre episoder med vold og trusler",
           "Fælles faglig tilgang, kollegial sparring og bedre risikovurdering.",
           MT, "Antal registrerede episoder med vold og trusler mod personalet", REG, ANT, L,
           (10, 24), (3, 8), 0,
           "Opgørelse fra arbejdsmiljøregistreringen for hele året.",
           "medarbejder"),
        _g("Opdaterede pædagogiske planer",
           "Planerne skrives sammen med beboeren og opdateres mindst hvert halve år.",
           FK, "Andel beboere med en pædagogisk plan, der er opdateret inden for seks måneder", AUD, PCT, H,
           (65, 82), (8, 15), 0,
           "Auditrapport fra forvaltningens kvalitetskonsulent.",
           "kvalitet bruger"),
        _g("Sund kost og motion",
           "Fælles madlavning og ugentlige gåture og træning.",
           ST, "Antal beboere, der deltager i ugentlig motion", REG, ANT, H,
           (5, 12), (2, 5), 0,
           "Registrering af deltagelse i motionstilbuddene.",
           "sundhed mad"),
        _jn("Beboerråd er etableret",
            "Beboerne vælger et beboerråd, der mødes med ledelsen.",
            DI, "Beboerrådet er etableret og har holdt mindst to møder", DOK,
            "Referater fra beboerrådets møder.",
            "dialog bruger"),
    ),
    "aktivitet": (
        _g("Flere besøgende|Flere borgere bruger centret",
           "Nye aktiviteter og bedre information skal få flere ældre til at bruge centret.",
           BT, "Gennemsnitligt antal besøgende pr. uge", REG, ANT, H,
           (180, 420), (20, 60), 0,
           "Ugentlige optællinger i receptionen.",
           "bruger faellesskab"),
        _g("Flere nye brugere",
           "Vi tager kontakt til borgere, der lige er gået på pension eller er blevet alene.",
           BT, "Antal nye brugere i løbet af året", REG, ANT, H,
           (30, 70), (10, 25), 0,
           "Registrering af nye brugere.",
           "faellesskab bruger"),
        _g("Flere frivillige",
           "Frivillige får en god introduktion og en fast kontaktperson.",
           DI, "Antal aktive frivillige tilknyttet centret", REG, ANT, H,
           (25, 60), (5, 15), 0,
           "Oversigt over frivillige pr. 1. december {aar}.",
           "faellesskab dialog"),
        _g("Tilfredse brugere",
           "Brugerrådet er med til at planlægge aktiviteterne.",
           BT, "Andel brugere, der er tilfredse eller meget tilfredse med aktiviteterne", SPM, PCT, H,
           (80, 89), (2, 6), 0,
           "Resultat af brugerundersøgelsen {aar}.",
           "bruger"),
        _g("Indsats mod ensomhed",
           "Ordningen 'Ny i centret' giver nye brugere en fast ven de første måneder.",
           ST, "Antal ældre, der er kommet med i et fællesskab via 'Ny i centret'", REG, ANT, H,
           (10, 25), (5, 15), 0,
           "Registrering af forløb i 'Ny i centret'.",
           "trivsel faellesskab"),
    ),
    "traening": (
        _g("Bedre funktionsevne efter træning",
           "Træningen målrettes borgerens egne mål for hverdagen.",
           FK, "Andel borgere, der forbedrer sig i rejse-sætte-sig-testen efter endt forløb", REG, PCT, H,
           (62, 74), (4, 10), 0,
           "Opgørelse af testresultater fra træningsjournalen.",
           "sundhed kvalitet"),
        _g("Kortere ventetid på genoptræning",
           "Bedre visitation og flere holdtræninger skal nedbringe ventetiden.",
           BT, "Gennemsnitlig ventetid fra henvisning til første træning", NT, DG, L,
           (9, 16), (2, 5), 0,
           "Udtræk fra træningsjournalen for hele året.",
           "bruger kvalitet"),
        _g("Tilfredse borgere",
           "Alle borgere evaluerer deres forløb ved afslutningen.",
           BT, "Andel borgere, der er tilfredse eller meget tilfredse med genoptræningen", SPM, PCT, H,
           (84, 91), (2, 5), 0,
           "Samlet resultat af evalueringsskemaerne {aar}.",
           "bruger"),
        _g("Flere fortsætter med at træne",
           "Vi bygger bro til foreningernes motionshold, så borgerne fortsætter efter forløbet.",
           ST, "Andel borgere, der efter forløbet fortsætter i et træningstilbud i en forening", REG, PCT, H,
           (25, 40), (5, 12), 0,
           "Opfølgende telefonopkald tre måneder efter endt forløb.",
           "sundhed faellesskab"),
    ),
    "bibliotek": (
        _g("Flere besøgende til arrangementer",
           "Et bredere program med forfatteraftener, familiearrangementer og debatmøder.",
           BT, "Antal deltagere i bibliotekets arrangementer", REG, ANT, H,
           (2400, 5200), (200, 700), -1,
           "Opgørelse af deltagere i alle arrangementer i {aar}.",
           "bruger faellesskab"),
        _g("Flere udlån til børn",
           "Bogkasser til daginstitutioner og formidling i skolerne.",
           FK, "Antal udlån af børnematerialer", NT, ANT, H,
           (38000, 72000), (2000, 6000), -2,
           "Udtræk fra bibliotekssystemet for hele året.",
           "laering"),
        _g("Digital hjælp til borgerne",
           "Faste tider med hjælp til MitID, Digital Post og selvbetjening.",
           FK, "Antal borgere, der har fået hjælp til digital selvbetjening", REG, ANT, H,
           (600, 1400), (100, 300), 0,
           "Registrering ved skranken og i IT-cafeen.",
           "digital"),
        _g("Tilfredse brugere",
           "Vi spørger brugerne om åbningstider, materialer og service.",
           BT, "Andel brugere, der er tilfredse eller meget tilfredse med biblioteket", SPM, PCT, H,
           (85, 92), (2, 4), 0,
           "Resultat af brugerundersøgelsen {aar}.",
           "bruger"),
        _g("Læselyst hos børn",
           "Sommerbogen markedsføres i alle skoler og daginstitutioner.",
           FK, "Antal børn, der deltager i Sommerbogen", REG, ANT, H,
           (350, 800), (50, 150), 0,
           "Opgørelse af tilmeldte og gennemførte deltagere.",
           "laering"),
        _g("Flere besøgende i biblioteket",
           "Biblioteket skal være et åbent mødested med plads til ophold, studier og fællesskab.",
           BT, "Antal besøgende pr. år (dørtæller)", NT, ANT, H,
           (85000, 160000), (3000, 10000), -3,
           "Udtræk fra dørtælleren for hele året.",
           "bruger faellesskab"),
        _jn("Samarbejdsaftaler med skolerne",
            "Biblioteket indgår skriftlige aftaler med alle skoler i lokalområdet om læsning og formidling.",
            DI, "Der er skriftlige samarbejdsaftaler med alle folkeskoler i lokalområdet", DOK,
            "De underskrevne samarbejdsaftaler.",
            "dialog laering"),
    ),
    "kultur": (
        _g("Flere brugere af huset",
           "Nye tilbud til familier og seniorer i dagtimerne.",
           BT, "Antal besøgende pr. år", REG, ANT, H,
           (12000, 40000), (1000, 4000), -2,
           "Opgørelse fra bookingsystemet og optællinger.",
           "bruger faellesskab"),
        _g("Flere arrangementer skabt af frivillige",
           "Foreninger og frivillige får hjælp til at bruge husets lokaler og faciliteter.",
           DI, "Antal arrangementer arrangeret af foreninger og frivillige i huset", REG, ANT, H,
           (20, 50), (5, 15), 0,
           "Kalender over arrangementer med arrangørens navn.",
           "faellesskab dialog"),
        _g("Flere unge i klubben",
           "Ungerådet er med til at planlægge klubaftenerne.",
           ST, "Gennemsnitligt antal unge pr. klubaften", REG, ANT, H,
           (25, 60), (5, 15), 0,
           "Registrering af fremmøde på klubaftenerne.",
           "faellesskab trivsel"),
        _g("Tilfredse foreninger",
           "Faste møder med foreningerne om booking, rengøring og udstyr.",
           BT, "Andel foreninger, der er tilfredse med samarbejdet med centret", SPM, PCT, H,
           (72, 84), (4, 8), 0,
           "Resultat af foreningsundersøgelsen {aar}.",
           "bruger dialog"),
        _g("Bedre udnyttelse af lokalerne",
           "Ledige tider udbydes aktivt til nye brugere.",
           OD, "Belægningsprocent for mødelokaler og sale i åbningstiden", NT, PCT, H,
           (55, 70), (5, 10), 0,
           "Udtræk fra bookingsystemet for hele året.",
           "oekonomi"),
    ),
    "idraet": (
        _g("Højere belægning i hallerne",
           "Bedre fordeling af halltider og udlejning af ledige tider.",
           OD, "Belægningsprocent i hallerne mandag–torsdag kl. 16–22", NT, PCT, H,
           (72, 85), (3, 8), 0,
           "Udtræk fra bookingsystemet for sæsonen.",
           "oekonomi"),
        _g("Flere borgere i bevægelse",
           "Nye tilbud til inaktive borgere i samarbejde med foreningerne.",
           ST, "Antal besøgende i svømmehal og motionscenter", NT, ANT, H,
           (95000, 180000), (5000, 12000), -3,
           "Udtræk fra adgangskontrollen for hele året.",
           "sundhed bruger"),
        _g("Tilfredse foreninger",
           "Faste brugermøder og hurtig opfølgning på fejl og mangler.",
           BT, "Andel foreninger, der er tilfredse eller meget tilfredse med service og rengøring", SPM, PCT, H,
           (70, 82), (4, 10), 0,
           "Resultat af foreningsundersøgelsen {aar}.",
           "bruger"),
        _g("Færre skader og mindre hærværk",
           "Bedre tilsyn og videoovervågning ved indgangene.",
           FK, "Antal indberettede skader og tilfælde af hærværk pr. år", REG, ANT, L,
           (15, 35), (4, 10), 0,
           "Opgørelse af skadesindberetninger.",
           "kvalitet"),
        _g("Åben hal for alle",
           "Faste tider, hvor hallen er åben for uorganiseret idræt.",
           ST, "Antal timer med åben hal pr. uge", REG, TM, H,
           (4, 8), (2, 4), 0,
           "Hallens ugeskema og registrering af fremmøde.",
           "sundhed faellesskab"),
    ),
    "vejpark": (
        _g("Hurtigere reparation af huller i vejene",
           "Et fast lappehold og bedre planlægning af udkaldene.",
           FK, "Andel anmeldte huller i vejbanen, der er lappet inden for 48 timer", NT, PCT, H,
           (70, 84), (5, 10), 0,
           "Udtræk fra opgavesystemet for hele året.",
           "bruger kvalitet"),
        _g("Hurtige svar på borgernes henvendelser",
           "Alle henvendelser fra kommunens app og hjemmeside besvares inden for fem arbejdsdage.",
           BT, "Andel borgerhenvendelser, der er besvaret inden for fem arbejdsdage", NT, PCT, H,
           (68, 82), (6, 12), 0,
           "Udtræk fra opgavesystemet for hele året.",
           "bruger dialog"),
        _g("Mere vild natur",
           "Græsarealer omlægges til blomstereng og slås kun én gang om året.",
           AN, "Antal kvadratmeter græsareal omlagt til vild natur", REG, ANT, H,
           (2000, 8000), (1000, 4000), -2,
           "Kort over omlagte arealer og opgørelse af arealet.",
           "groen"),
        _g("Færre arbejdsulykker",
           "Sikkerhedsgennemgang før alle opgaver og fokus på nærved-hændelser.",
           ST, "Antal arbejdsulykker med fravær", REG, ANT, L,
           (3, 7), (1, 3), 0,
           "Opgørelse fra arbejdsskadesystemet.",
           "medarbejder sundhed"),
        _g("Flere eldrevne maskiner",
           "Håndholdte maskiner udskiftes til el i takt med, at de udtjenes.",
           OD, "Andel håndholdte maskiner, der er eldrevne", REG, PCT, H,
           (35, 60), (10, 25), 0,
           "Maskinoversigt pr. 1. december {aar}.",
           "groen oekonomi"),
    ),
    "genbrug": (
        _g("Mere genanvendelse",
           "Bedre skiltning og vejledning ved containerne.",
           FK, "Andel af det modtagne affald, der sendes til genanvendelse", NT, PCT, H,
           (52, 62), (2, 6), 0,
           "Affaldsregnskab for pladsen for {aar}.",
           "groen"),
        _g("Kortere kø på lørdage",
           "Ekstra medarbejder og bedre skiltning i indkørslen på travle dage.",
           BT, "Gennemsnitlig ventetid i minutter i indkørslen lørdag formiddag", REG, ANT, L,
           (12, 22), (3, 8), 0,
           "Registrering af ventetid otte lørdage i løbet af året.",
           "bruger"),
        _g("Flere ting til genbrug",
           "Byttehjørnet udvides, så flere brugbare ting får nyt liv.",
           AN, "Antal genstande afleveret i byttehjørnet", REG, ANT, H,
           (3500, 7000), (500, 1500), -2,
           "Optælling af afleverede genstande.",
           "groen"),
        _g("Tilfredse besøgende",
           "Medarbejderne vejleder aktivt i sortering.",
           BT, "Andel besøgende, der er tilfredse eller meget tilfredse med vejledningen på pladsen", SPM, PCT, H,
           (82, 90), (2, 5), 0,
           "Resultat af spørgeskemaet til besøgende.",
           "bruger"),
        _jn("Sorteringsvejledning på flere sprog",
            "Skilte og foldere oversættes, så alle kan sortere rigtigt.",
            DI, "Skilte og vejledning findes på dansk, engelsk og arabisk", DOK,
            "Billeder af skiltningen og de trykte vejledninger.",
            "bruger inklusion"),
    ),
    "job": (
        _g("Flere unge i uddannelse",
           "Uddannelsespålæg, mentorstøtte og tæt samarbejde med uddannelsesinstitutionerne.",
           FK, "Andel unge på uddannelseshjælp, der påbegynder en uddannelse inden for et år", NT, PCT, H,
           (28, 38), (3, 7), 0,
           "Tal fra Jobindsats.dk for {aar}.",
           "beskaeftigelse uddannelse"),
        _g("Kortere sygedagpengeforløb",
           "Tidlig første samtale og delvis raskmelding i samarbejde med arbejdsgiveren.",
           FK, "Gennemsnitlig varighed af afsluttede sygedagpengeforløb", NT, DG, L,
           (95, 130), (8, 20), 0,
           "Tal fra Jobindsats.dk for {aar}.",
           "beskaeftigelse sundhed"),
        _g("Flere virksomhedsrettede forløb",
           "Flere borgere skal i praktik eller løntilskud på en rigtig arbejdsplads.",
           FK, "Antal borgere i virksomhedspraktik eller løntilskud", NT, ANT, H,
           (120, 260), (15, 40), 0,
           "Udtræk fra fagsystemet pr. 31. december {aar}.",
           "beskaeftigelse dialog"),
        _g("Borgerne føler sig hørt",
           "Borgeren er med til at lægge planen for sit eget forløb.",
           BT, "Andel borgere, der oplever at blive mødt med respekt og at blive lyttet til", SPM, PCT, H,
           (68, 80), (4, 9), 0,
           "Resultat af brugerundersøgelsen {aar}.",
           "bruger dialog"),
        _g("Tilfredse virksomheder",
           "Én indgang for virksomhederne og hurtig opfølgning på deres henvendelser.",
           DI, "Andel samarbejdsvirksomheder, der er tilfredse med jobcentrets service", SPM, PCT, H,
           (72, 84), (3, 7), 0,
           "Resultat af virksomhedsundersøgelsen {aar}.",
           "dialog bruger"),
        _g("Første samtale til tiden",
           "Bedre planlægning af samtaler og påmindelser til borgerne.",
           FK, "Andel nyledige, der har første jobsamtale inden for lovens frist", NT, PCT, H,
           (85, 93), (2, 5), 0,
           "Tal fra Jobindsats.dk for {aar}.",
           "kvalitet"),
    ),
    "sprog": (
        _g("Flere består danskprøven",
           "Prøveforberedende forløb og ekstra undervisning i skriftlig dansk.",
           FK, "Andel kursister, der består Prøve i Dansk 2 eller 3 ved første forsøg", NT, PCT, H,
           (62, 74), (3, 8), 0,
           "Prøveresultater fra prøveadministrationen for {aar}.",
           "laering inklusion"),
        _g("Højere fremmøde",
           "Opfølgning ved fravær og fleksible hold for kursister i arbejde.",
           FK, "Gennemsnitligt fremmøde i procent af planlagte lektioner", REG, PCT, H,
           (72, 82), (3, 7), 0,
           "Fremmødestatistik fra kursistsystemet.",
           "laering"),
        _g("Tilfredse kursister",
           "Kursisterne evaluerer undervisningen hvert modul.",
           BT, "Gennemsnitlig vurdering af undervisningen", SPM, PT, H,
           (3.9, 4.3), (0.1, 0.3), 1,
           "Samlet modulevaluering for {aar}.",
           "bruger"),
        _g("Dansk på arbejdspladsen",
           "Undervisningen flyttes ud på virksomhederne i samarbejde med jobcentret.",
           FK, "Antal kursister i virksomhedsforlagt danskundervisning", REG, ANT, H,
           (30, 70), (10, 25), 0,
           "Oversigt over virksomhedsforlagte hold og deltagere.",
           "beskaeftigelse laering"),
    ),
}  # fmt: skip

# Month and day of "frist" by measurement method.
FRISTER: dict[str, tuple[tuple[int, int], ...]] = {
    SPM: ((10, 1), (10, 31), (11, 1), (11, 15), (12, 1)),
    REG: ((11, 30), (12, 1), (12, 15), (12, 31)),
    DOK: ((6, 30), (9, 1), (10, 1), (12, 1)),
    DIA: ((11, 1), (11, 30)),
    AUD: ((10, 31), (11, 30)),
    NT: ((12, 1), (12, 15), (12, 31)),
}

ANSVARLIG_ROLLER: tuple[str, ...] = (
    "Ledelsen", "Kontraktgruppen", "Souschef", "Ledelsen og arbejdsmiljøgruppen",
)  # fmt: skip

# --------------------------------------------------------------------------- contract group

STAFF_TITLES: dict[str, tuple[str, ...]] = {
    "skole": ("Lærer", "Lærer", "Børnehaveklasseleder", "Pædagog", "Læsevejleder", "Skolesekretær", "AKT-lærer"),
    "dagtilbud": ("Pædagog", "Pædagog", "Pædagogmedhjælper", "Pædagogisk assistent", "Køkkenmedarbejder"),
    "sfo": ("Pædagog", "Pædagog", "Pædagogmedhjælper", "Pædagogisk assistent"),
    "undervisning": ("Underviser", "Underviser", "Timelærer", "Klubmedarbejder", "Administrativ medarbejder"),
    "sundhedspleje": ("Sundhedsplejerske", "Sundhedsplejerske", "Sekretær"),
    "tandpleje": ("Tandplejer", "Klinikassistent", "Tandlæge"),
    "pleje": ("Social- og sundhedsassistent", "Social- og sundhedshjælper", "Sygeplejerske", "Ergoterapeut", "Aktivitetsmedarbejder", "Køkkenmedarbejder"),
    "hjemmepleje": ("Social- og sundhedshjælper", "Social- og sundhedsassistent", "Sygeplejerske", "Planlægger"),
    "bosted": ("Socialpædagog", "Pædagog", "Social- og sundhedsassistent", "Omsorgsmedhjælper"),
    "aktivitet": ("Aktivitetsmedarbejder", "Ergoterapeut", "Servicemedarbejder", "Cafémedarbejder"),
    "traening": ("Fysioterapeut", "Ergoterapeut", "Træningsassistent"),
    "bibliotek": ("Bibliotekar", "Biblioteksassistent", "Kulturformidler", "Børnebibliotekar"),
    "kultur": ("Klubmedarbejder", "Kulturmedarbejder", "Servicemedarbejder", "Administrativ medarbejder"),
    "idraet": ("Servicemedarbejder", "Driftsassistent", "Livredder", "Halmedarbejder"),
    "vejpark": ("Anlægsgartner", "Vejmand", "Maskinfører", "Tekniker"),
    "genbrug": ("Pladsmand", "Driftsmedarbejder", "Miljømedarbejder"),
    "job": ("Jobkonsulent", "Sagsbehandler", "Virksomhedskonsulent", "Mentor"),
    "sprog": ("Underviser i dansk som andetsprog", "Underviser", "Studievejleder"),
}  # fmt: skip

STAFF_SUFFIXES: tuple[str, ...] = (
    "",
    "",
    "",
    ", tillidsrepræsentant",
    ", arbejdsmiljørepræsentant",
)

USER_MEMBERS: dict[str, tuple[str, ...]] = {
    "skole": ("Forælder, formand for skolebestyrelsen", "Forælder, medlem af skolebestyrelsen", "Elevrådsformand"),
    "dagtilbud": ("Forælder, formand for forældrebestyrelsen", "Forælder, medlem af forældrebestyrelsen", "Forælder"),
    "sfo": ("Forælder, medlem af forældrerådet", "Forælder"),
    "undervisning": ("Elevrepræsentant", "Forælder"),
    "sundhedspleje": ("Forælder",),
    "tandpleje": ("Forælder",),
    "pleje": ("Pårørende, formand for bruger- og pårørenderådet", "Beboer", "Pårørende"),
    "hjemmepleje": ("Repræsentant for Ældrerådet", "Pårørende", "Borger"),
    "bosted": ("Beboer", "Pårørende, formand for pårørenderådet", "Pårørende"),
    "aktivitet": ("Bruger, formand for brugerrådet", "Frivillig", "Bruger"),
    "traening": ("Repræsentant for Ældrerådet", "Repræsentant for Handicaprådet"),
    "bibliotek": ("Bruger, medlem af brugerrådet", "Bruger"),
    "kultur": ("Repræsentant for husets foreninger", "Medlem af ungerådet", "Frivillig"),
    "idraet": ("Repræsentant for idrætsforeningerne", "Formand for brugerrådet"),
    "vejpark": ("Repræsentant for grundejerforeningerne",),
    "genbrug": (),
    "job": ("Repræsentant for brugerpanelet", "Repræsentant for det lokale erhvervsliv"),
    "sprog": ("Kursistrepræsentant",),
}  # fmt: skip

OTHER_MEMBERS: dict[str, tuple[str, ...]] = {
    "skole": ("Viceskoleleder", "Afdelingsleder for indskolingen", "Afdelingsleder for udskolingen", "SFO-leder"),
    "dagtilbud": ("Souschef", "Pædagogisk leder"),
    "sfo": ("Souschef", "Viceskoleleder"),
    "pleje": ("Souschef", "Afdelingsleder", "Udviklingssygeplejerske"),
    "hjemmepleje": ("Gruppeleder", "Souschef", "Visitator"),
    "bosted": ("Souschef", "Afdelingsleder"),
    "job": ("Teamkoordinator", "Faglig koordinator"),
}  # fmt: skip

OTHER_MEMBERS_DEFAULT: tuple[str, ...] = (
    "Souschef", "Konsulent fra forvaltningen", "Administrativ medarbejder",
)  # fmt: skip

# --------------------------------------------------------------------------- dialogue

# Dialogue with users/relatives: (form, tema) per family.
DIALOG_USER: dict[str, tuple[tuple[str, str], ...]] = {
    "skole": (
        ("Bruger-/pårørenderåd", "Skolebestyrelsesmøde om forslag til kontraktmål"),
        ("Forældre-/pårørendemøde", "Forældremøder i alle klasser om trivsel og skole-hjem-samarbejde"),
        ("Dialogmøde", "Elevrådsmøde om frikvarterer, toiletter og trivsel"),
        ("Brugerundersøgelse", "Forældretilfredshedsundersøgelse"),
        ("Dialogmøde", "Dialogmøde med kontaktforældre fra indskolingen"),
    ),
    "dagtilbud": (
        ("Bruger-/pårørenderåd", "Møde i forældrebestyrelsen om næste års mål"),
        ("Forældre-/pårørendemøde", "Forældremøde om sprog og leg"),
        ("Brugerundersøgelse", "Forældretilfredshedsundersøgelse"),
        ("Dialogmøde", "Børneinterview med de ældste børn om, hvad der er sjovt i børnehaven"),
        ("Forældre-/pårørendemøde", "Forældrekaffe ved sommerfesten med snak om kontraktmålene"),
    ),
    "sfo": (
        ("Bruger-/pårørenderåd", "Møde i forældrerådet"),
        ("Dialogmøde", "Børnemøde om aktiviteter og indretning"),
        ("Forældre-/pårørendemøde", "Forældremøde for kommende 0. klasse"),
        ("Brugerundersøgelse", "Smileyundersøgelse blandt børnene"),
    ),
    "undervisning": (
        ("Brugerundersøgelse", "Elevevaluering af sæsonens hold"),
        ("Dialogmøde", "Elevrådsmøde om nye holdtyper"),
        ("Bruger-/pårørenderåd", "Bestyrelsesmøde om næste sæson"),
        ("Forældre-/pårørendemøde", "Forældremøde for nye elever"),
    ),
    "sundhedspleje": (
        ("Brugerundersøgelse", "Tilfredshedsundersøgelse blandt forældre"),
        ("Dialogmøde", "Fokusgruppe med førstegangsforældre"),
        ("Forældre-/pårørendemøde", "Temamøde for forældregrupper om søvn og trivsel"),
    ),
    "tandpleje": (
        ("Brugerundersøgelse", "Tilfredshedsundersøgelse blandt forældre"),
        ("Dialogmøde", "Dialog med elever i 4. klasse om tandbørstning"),
        ("Forældre-/pårørendemøde", "Forældremøde i daginstitutionerne om sunde tænder"),
    ),
    "pleje": (
        ("Bruger-/pårørenderåd", "Møde i bruger- og pårørenderådet om kontraktmål"),
        ("Forældre-/pårørendemøde", "Pårørendemøde om måltider og aktiviteter"),
        ("Brugerundersøgelse", "Beboerinterview om tilfredshed med maden"),
        ("Dialogmøde", "Husmøde med beboerne"),
    ),
    "hjemmepleje": (
        ("Brugerundersøgelse", "Telefoninterview med borgere om hjemmeplejen"),
        ("Dialogmøde", "Dialogmøde med Ældrerådet"),
        ("Bruger-/pårørenderåd", "Møde i brugerrådet"),
        ("Forældre-/pårørendemøde", "Pårørendeaften om samarbejdet med hjemmeplejen"),
    ),
    "bosted": (
        ("Dialogmøde", "Husmøde med beboerne om ønsker til hverdagen"),
        ("Forældre-/pårørendemøde", "Pårørendemøde"),
        ("Bruger-/pårørenderåd", "Møde i beboerrådet"),
        ("Brugerundersøgelse", "Beboerinterview med billedstøtte"),
    ),
    "aktivitet": (
        ("Bruger-/pårørenderåd", "Møde i brugerrådet om aktiviteter og åbningstider"),
        ("Brugerundersøgelse", "Spørgeskema til brugerne"),
        ("Dialogmøde", "Stormøde for brugere og frivillige"),
    ),
    "traening": (
        ("Brugerundersøgelse", "Tilfredshedsundersøgelse efter afsluttet forløb"),
        ("Dialogmøde", "Dialog med Ældrerådet og Handicaprådet om genoptræning"),
        ("Dialogmøde", "Fokusgruppe med tidligere brugere"),
    ),
    "bibliotek": (
        ("Brugerundersøgelse", "Brugerundersøgelse i biblioteket"),
        ("Dialogmøde", "Dialogmøde med lokale foreninger om arrangementer"),
        ("Bruger-/pårørenderåd", "Møde i bibliotekets brugerråd"),
        ("Workshop", "Børnepanel om børnebiblioteket"),
    ),
    "kultur": (
        ("Bruger-/pårørenderåd", "Møde i husrådet med foreningerne"),
        ("Dialogmøde", "Dialogmøde med de frivillige"),
        ("Brugerundersøgelse", "Spørgeskema til husets brugere"),
        ("Dialogmøde", "Ungerådsmøde om klubbens tilbud"),
    ),
    "idraet": (
        ("Dialogmøde", "Årsmøde med foreningerne om fordeling af halltider"),
        ("Brugerundersøgelse", "Tilfredshedsundersøgelse blandt foreningerne"),
        ("Bruger-/pårørenderåd", "Møde i brugerrådet for idrætsanlægget"),
    ),
    "vejpark": (
        ("Dialogmøde", "Borgermøde om de grønne områder i bydelen"),
        ("Dialogmøde", "Møde med grundejerforeningerne om vintertjeneste"),
        ("Brugerundersøgelse", "Borgerundersøgelse om renhold"),
    ),
    "genbrug": (
        ("Brugerundersøgelse", "Spørgeskema til besøgende på pladsen"),
        ("Dialogmøde", "Dialogmøde med boligforeningerne om sortering"),
        ("Andet", "Stand på byfesten om genbrug"),
    ),
    "job": (
        ("Brugerundersøgelse", "Brugerundersøgelse blandt borgere i jobcentret"),
        ("Dialogmøde", "Dialogmøde med lokale virksomheder"),
        ("Bruger-/pårørenderåd", "Møde i brugerpanelet"),
        ("Dialogmøde", "Fokusgruppe med unge på uddannelseshjælp"),
    ),
    "sprog": (
        ("Brugerundersøgelse", "Evaluering blandt kursisterne"),
        ("Dialogmøde", "Kursistrådsmøde"),
        ("Dialogmøde", "Møde med jobcentret og virksomheder om danskundervisning"),
    ),
}  # fmt: skip

# Dialogue with employees: (form, tema), the same for every family.
DIALOG_STAFF: tuple[tuple[str, str], ...] = (
    ("Personalemøde", "Drøftelse af forslag til næste års kontraktmål"),
    ("Personalemøde", "Status på årets kontraktmål og idéer til nye mål"),
    ("Samarbejdsudvalg (SU)", "SU-møde om udkastet til kontraktmål og sygefraværet"),
    ("Samarbejdsudvalg (SU)", "SU-møde om resultatet af trivselsmålingen"),
    ("Medarbejderundersøgelse", "Kort spørgeskema til alle medarbejdere om arbejdsglæde og ønsker til mål"),
    ("Workshop", "Temadag om kerneopgaven og næste års indsatser"),
    ("Workshop", "Pædagogisk dag: prioritering af målforslag"),
    ("Dialogmøde", "Teammøder i alle afdelinger om forslag til mål"),
)  # fmt: skip

# Dialogue with both; {med} = "medarbejdere og forældre", "medarbejdere, forældre og elever".
DIALOG_BOTH: tuple[tuple[str, str], ...] = (
    ("Dialogmøde", "Fælles møde for {med} om udkastet til kontrakten"),
    ("Workshop", "Fremtidsværksted for {med}"),
    ("Dialogmøde", "Åbent hus med dialog om næste års mål"),
)  # fmt: skip

BRUGER_ORD: dict[str, str] = {
    "skole": "forældre og elever", "dagtilbud": "forældre", "sfo": "forældre og børn",
    "undervisning": "elever og forældre", "sundhedspleje": "forældre", "tandpleje": "forældre",
    "pleje": "beboere og pårørende", "hjemmepleje": "borgere og pårørende",
    "bosted": "beboere og pårørende", "aktivitet": "brugere og frivillige", "traening": "borgere",
    "bibliotek": "brugere", "kultur": "brugere og foreninger", "idraet": "foreninger",
    "vejpark": "borgere", "genbrug": "borgere", "job": "borgere og virksomheder",
    "sprog": "kursister",
}  # fmt: skip

# (low, high) number of participants per dialogue form.
DELTAGERE: dict[str, tuple[int, int]] = {
    "Dialogmøde": (6, 28),
    "Brugerundersøgelse": (40, 420),
    "Medarbejderundersøgelse": (12, 80),
    "Personalemøde": (8, 45),
    "Forældre-/pårørendemøde": (15, 90),
    "Bruger-/pårørenderåd": (5, 12),
    "Samarbejdsudvalg (SU)": (6, 12),
    "Workshop": (10, 35),
    "Andet": (20, 150),
}

# Outcome of a dialogue; {goal} is one of the institution's goal titles.
UDBYTTE_USER: tuple[str, ...] = (
    "Gav idéen til målet '{goal}'.",
    "Mange ønskede mere fokus på '{goal}', som nu er et af målene.",
    "Bekræftede, at vi skal fortsætte arbejdet med '{goal}'.",
    "Forslag om bedre information på hjemmesiden og opslagstavlen.",
    "Positiv modtagelse af udkastet; enkelte ønsker om justeringer er indarbejdet.",
    "Ønske om, at vi følger op på resultaterne på næste møde.",
)  # fmt: skip

# Outcome of a survey (Brugerundersøgelse, Medarbejderundersøgelse).
UDBYTTE_SURVEY: tuple[str, ...] = (
    "Svarprocent {pct} %. Resultaterne er brugt som udgangspunkt for målene.",
    "Svarprocent {pct} %. Undersøgelsen pegede på '{goal}' som et område, vi skal forbedre.",
    "Resultaterne viste behov for at arbejde med '{goal}'.",
    "Input til målemetoden: spørgsmålene i undersøgelsen er justeret.",
)  # fmt: skip

UDBYTTE_STAFF: tuple[str, ...] = (
    "Medarbejderne prioriterede '{goal}' højest.",
    "Enighed om at arbejde videre med '{goal}'.",
    "Ønske om kompetenceudvikling, som indgår i målene.",
    "Udkastet til kontraktmål blev godkendt med få rettelser.",
    "Drøftelse af, hvordan vi registrerer målingerne i hverdagen uden for meget ekstra arbejde.",
    "Arbejdsmiljøgruppen følger op på forslagene om bedre planlægning.",
    "Målet '{goal}' blev skærpet, så det kan måles.",
)  # fmt: skip

# --------------------------------------------------------------------------- institution texts

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "Skole": (
        "{navn} er en folkeskole med ca. {brugere} elever fordelt på 0.–9. klasse og ca. {ansatte} ansatte. Skolen har SFO og et tæt samarbejde med lokalområdets daginstitutioner.",
        "{navn} er en {spor}-sporet skole med ca. {brugere} elever. Vi lægger vægt på et trygt læringsmiljø, hvor alle elever bliver så dygtige, de kan.",
    ),
    "Daginstitution": (
        "{navn} er en integreret institution med vuggestue og børnehave for ca. {brugere} børn i alderen 0–6 år. Vi er ca. {ansatte} ansatte: pædagoger, pædagogmedhjælpere og køkkenpersonale.",
        "{navn} har plads til ca. {brugere} børn og ligger tæt på skov og strand. Naturen og legen er omdrejningspunktet i vores pædagogik, og vi arbejder efter den styrkede pædagogiske læreplan.",
    ),
    "SFO/fritidshjem": (
        "{navn} er fritidstilbud for ca. {brugere} børn fra 0.–3. klasse med åbent før og efter skoletid og i skoleferierne.",
        "{navn} har ca. {brugere} børn og fokus på leg, bevægelse, kreative værksteder og venskaber på tværs af klasserne.",
    ),
    "Ungdomsskole": (
        "{navn} tilbyder fritidsundervisning, klubaftener og knallertkørekort til ca. {brugere} unge mellem 13 og 18 år og driver også kommunens heltidsundervisning.",
        "{navn} har ca. {brugere} elever på hold i alt fra madlavning og e-sport til førstehjælp. Vi er ca. {ansatte} ansatte inkl. timelærere.",
    ),
    "Musikskole": (
        "{navn} giver undervisning i sang, instrumenter og sammenspil til ca. {brugere} børn og unge og samarbejder med folkeskolerne om musik i undervisningen.",
        "{navn} har ca. {brugere} elever og ca. {ansatte} musikpædagoger. Vi holder koncerter gennem hele sæsonen og har orkestre og kor på flere niveauer.",
    ),
    "Sundhedspleje": (
        "{navn} følger familier med børn fra fødslen til skolealderen med hjemmebesøg, forældregrupper og sundhedssamtaler i skolerne. Ca. {brugere} nyfødte om året.",
        "{navn} består af ca. {ansatte} sundhedsplejersker, der arbejder forebyggende med børns sundhed og trivsel fra graviditet til udskoling.",
    ),
    "Tandpleje": (
        "{navn} tilbyder gratis tandpleje til alle børn og unge under 18 år, ca. {brugere} børn, med klinikker på flere af kommunens skoler.",
        "{navn} har ca. {ansatte} ansatte – tandlæger, tandplejere og klinikassistenter – og forebygger huller gennem indkaldelser og undervisning i skoler og daginstitutioner.",
    ),
    "Plejecenter": (
        "{navn} har {brugere} plejeboliger for ældre med behov for pleje døgnet rundt, heraf en skærmet enhed for beboere med demens. Ca. {ansatte} medarbejdere.",
        "{navn} er et plejecenter med {brugere} boliger, café, træningssal og have. Vi arbejder for, at beboerne har et værdigt liv med indflydelse på egen hverdag.",
    ),
    "Hjemmepleje": (
        "{navn} yder personlig pleje og praktisk hjælp til ca. {brugere} borgere i eget hjem hele døgnet. Vi er ca. {ansatte} medarbejdere fordelt på dag-, aften- og nattevagt.",
        "{navn} giver hjemmepleje og sygepleje til ca. {brugere} borgere. Rehabilitering og hverdagsmestring er grundlaget for vores arbejde.",
    ),
    "Bosted/botilbud": (
        "{navn} er et botilbud efter servicelovens § 108 for {brugere} voksne med udviklingshæmning. Ca. {ansatte} medarbejdere giver støtte døgnet rundt.",
        "{navn} er et bosted med {brugere} pladser for voksne med sindslidelser efter servicelovens § 107. Vi arbejder recovery-orienteret med udgangspunkt i beboernes egne mål.",
    ),
    "Aktivitetscenter": (
        "{navn} er et aktivitetscenter for borgere over 60 år med ca. {brugere} faste brugere og drives i tæt samarbejde med et stort korps af frivillige.",
        "{navn} tilbyder motion, kreative værksteder, foredrag og café for kommunens ældre. Ca. {brugere} brugere og ca. {ansatte} ansatte.",
    ),
    "Træningscenter": (
        "{navn} står for genoptræning efter sundhedsloven og vedligeholdelsestræning efter serviceloven. Ca. {brugere} borgere i forløb om året.",
        "{navn} har ca. {ansatte} fysio- og ergoterapeuter og tilbyder træning individuelt og på hold, bl.a. rehabiliteringsforløb efter indlæggelse.",
    ),
    "Bibliotek": (
        "{navn} er et folkebibliotek med ca. {brugere} aktive lånere, borgerservice og selvbetjent åbningstid fra kl. 7 til 22. Vi holder arrangementer for børn og voksne hele året.",
        "{navn} er både bibliotek og kulturhus med læsekredse, foredrag, lektiecafé og digital hjælp. Ca. {ansatte} ansatte.",
    ),
    "Fritids- og kulturcenter": (
        "{navn} er et fritids- og kulturcenter med sale, mødelokaler og værksteder, som bruges af ca. {brugere} borgere og mange foreninger.",
        "{navn} rummer ungdomsklub, øvelokaler og café og er samlingssted for foreninger og frivillige i lokalområdet.",
    ),
    "Idrætsanlæg": (
        "{navn} omfatter idrætshal, kunstgræsbane og omklædning, som bruges af ca. {brugere} foreningsmedlemmer og af skolernes idrætsundervisning.",
        "{navn} drives af ca. {ansatte} medarbejdere og har faciliteter, der er åbne for både foreninger og selvorganiserede motionister.",
    ),
    "Vej og park": (
        "{navn} står for drift og vedligeholdelse af veje, stier, grønne områder og legepladser i sin del af kommunen, herunder vintertjeneste. Ca. {ansatte} medarbejdere.",
        "{navn} passer parker, kirkegårde og grønne arealer og reparerer veje og fortove. Vi lægger vægt på hurtig reaktion på borgernes henvendelser.",
    ),
    "Genbrugsplads": (
        "{navn} modtager haveaffald, storskrald og farligt affald fra borgere og mindre virksomheder og har åbent alle ugens dage.",
        "{navn} har ca. {ansatte} medarbejdere, der vejleder de besøgende i sortering. Pladsen har byttehjørne og modtager over 30 affaldstyper.",
    ),
    "Jobcenter": (
        "{navn} er en afdeling med ca. {ansatte} medarbejdere og ca. {brugere} borgere i forløb. Vi arbejder for, at flest muligt kommer i job eller uddannelse.",
        "{navn} samarbejder med borgere, virksomheder og uddannelsessteder og har ca. {brugere} borgere tilknyttet.",
    ),
    "Sprogcenter": (
        "{navn} tilbyder danskuddannelse til voksne udlændinge, ca. {brugere} kursister om året, på dag- og aftenhold og online.",
        "{navn} har ca. {ansatte} lærere og underviser i dansk som andetsprog, også som virksomhedsforlagt undervisning.",
    ),
}  # fmt: skip

DESCRIPTION_CLOSINGS: tuple[str, ...] = (
    "",
    "",
    " Vi har haft kontrakt siden {foerste}.",
    " Kontraktgruppen har udarbejdet forslaget i tæt dialog med medarbejdere og brugere.",
    " Erfaringerne fra sidste års kontrakt er brugt i arbejdet med de nye mål.",
    " Vi arbejder tæt sammen med forvaltningen og de andre virksomheder i området.",
)  # fmt: skip

# Status on last year's contract: {ialt} goals, {opf} met, {delv} = ", og 1 blev delvist opfyldt".
STATUS_ALLE: tuple[str, ...] = (
    "Alle {ialt} kontraktmål for {forrige} blev opfyldt. {grund}",
    "Vi nåede alle {ialt} mål i kontrakten for {forrige}. {grund}",
)  # fmt: skip

STATUS_NOGLE: tuple[str, ...] = (
    "Vi nåede {opf} af {ialt} kontraktmål i {forrige}{delv}. {grund}",
    "{opf} ud af {ialt} mål blev opfyldt i {forrige}{delv}. {grund}",
)  # fmt: skip

STATUS_GRUNDE_ALLE: tuple[str, ...] = (
    "Tilfredsheden steg mere end forventet, og det arbejde fortsætter vi.",
    "Resultaterne er drøftet i kontraktgruppen og på personalemødet.",
    "Erfaringerne tager vi med i dette års mål.",
)  # fmt: skip

STATUS_GRUNDE_NOGLE: tuple[str, ...] = (
    "Målet om sygefravær blev ikke nået, bl.a. på grund af flere langtidssygemeldinger.",
    "En måling blev forsinket, men resultatet foreligger nu og er sendt til Kontraktservice.",
    "Vi fortsætter arbejdet med de mål, der ikke blev nået.",
    "Et lederskifte i foråret betød, at et af målene blev nedprioriteret.",
    "Erfaringerne tager vi med i dette års mål.",
)  # fmt: skip

# --------------------------------------------------------------------------- results

DOKUMENTATION: dict[str, tuple[str, ...]] = {
    SPM: ("Rapport fra undersøgelsen {aar}, sendt til Kontraktservice.", "Resultatrapport vedlagt; svarprocent {pct} %.", "Rapport fra undersøgelsen ligger på fællesdrevet under Kontrakt {aar}."),
    REG: ("Registreringsskema (Excel) på fællesdrevet.", "Opgørelse fra registreringen, godkendt i kontraktgruppen.", "Udtræk af registreringerne ved årets udgang."),
    DOK: ("Dokumentet er vedlagt og godkendt i kontraktgruppen.", "Referat fra mødet, hvor dokumentet blev godkendt.", "Dokumentationen ligger på intranettet."),
    DIA: ("Referat fra dialogmødet.", "Referater fra møderne i løbet af året."),
    AUD: ("Auditrapport vedlagt.", "Rapport fra auditten gennemført i efteråret {aar}."),
    NT: ("Udtræk fra fagsystemet vedlagt.", "Nøgletal trukket af forvaltningen ved årets udgang.", "Skærmprint af nøgletallene er sendt til Kontraktservice."),
}  # fmt: skip

# Explanations of a result, by attainment and by what the goal is about: "*" fits every goal,
# "bruger" goals about users and the service, "medarbejder" goals about staff well-being,
# "kompetence" competence goals, "janej" Ja/Nej goals that were not reached.
FORKLARINGER: dict[str, dict[str, tuple[str, ...]]] = {
    "Opfyldt": {
        "*": (
            "Målet er nået.",
            "Målet er nået. Vi fastholder indsatsen næste år.",
            "Målet er nået. Den faste opfølgning på personalemøderne har virket.",
            "Målet er nået, og resultatet er drøftet i kontraktgruppen.",
        ),
        "bruger": (
            "Målet er nået. Forslagene fra dialogen med brugerne har gjort en forskel.",
            "Målet er nået. De nye tiltag er blevet godt modtaget.",
        ),
        "medarbejder": (
            "Målet er nået, bl.a. takket være et stort engagement i personalegruppen.",
            "Målet er nået. Arbejdsmiljøgruppen har fulgt tæt op.",
        ),
        "kompetence": (
            "Målet er nået. Alle har fået tid til uddannelse i arbejdstiden.",
        ),
    },
    "Delvist opfyldt": {
        "*": (
            "Indsatsen kom først rigtig i gang efter sommerferien, så effekten er kun delvist slået igennem.",
            "Resultatet er forbedret, men ikke nok. Vi fortsætter med målet næste år.",
            "Fremgangen er tydelig, men målværdien var ambitiøs. Vi justerer målet til næste år.",
            "Et lederskifte i foråret forsinkede indsatsen.",
        ),
        "bruger": (
            "Ombygningen i efteråret betød, at aktiviteterne måtte skæres ned i to måneder.",
            "Flere nye brugere med store behov har krævet ekstra ressourcer.",
        ),
        "medarbejder": (
            "Længerevarende sygemeldinger i foråret forsinkede indsatsen.",
            "Flere vakante stillinger i en periode har gjort det svært at nå helt i mål.",
        ),
        "kompetence": (
            "To planlagte kurser blev aflyst af udbyderen og er flyttet til næste år.",
            "Flere vakante stillinger i en periode har gjort det svært at frigøre tid til uddannelse.",
        ),
    },
    "Ikke opfyldt": {
        "*": (
            "Målet er ikke nået. Lederskifte i løbet af året betød, at indsatsen blev sat på pause.",
            "Resultatet er dårligere end sidste år. Vi har analyseret årsagerne og lavet en ny handleplan.",
            "Indsatsen blev forsinket af, at det nye fagsystem først kom i drift i oktober.",
        ),
        "bruger": (
            "Flere nye brugere med store behov har påvirket resultatet.",
            "En vandskade lukkede en del af huset i tre måneder.",
        ),
        "medarbejder": (
            "Stor udskiftning i personalegruppen har gjort det svært at fastholde indsatsen.",
            "Omorganiseringen i foråret fyldte meget og gik ud over trivslen.",
        ),
        "kompetence": (
            "Uddannelsespladserne blev ikke udbudt i år, så medarbejderne kunne ikke komme af sted.",
            "Stor udskiftning i personalegruppen betød, at nye medarbejdere først skulle introduceres.",
        ),
        "janej": (
            "Arbejdet er påbegyndt, men blev ikke færdigt inden fristen.",
            "Udkastet er skrevet, men mangler at blive godkendt. Det sker i januar.",
            "Opgaven blev udskudt, fordi andre opgaver måtte prioriteres.",
        ),
    },
}  # fmt: skip

# Extra explanation for survey goals that were not met.
FORKLARING_SPOERGESKEMA: tuple[str, ...] = (
    "Lav svarprocent ({pct} %) gør resultatet usikkert; vi ændrer måden, vi gennemfører undersøgelsen på.",
)  # fmt: skip

# Goal tags that make a goal a staff goal, a competence goal, or neither a user nor a staff goal.
STAFF_TAGS: frozenset[str] = frozenset({"medarbejder"})
COMPETENCE_TAGS: frozenset[str] = frozenset({"kompetence"})
NEUTRAL_TAGS: frozenset[str] = frozenset({"oekonomi", "groen", "digital"})

# Why a goal was not measured, by measurement method ("*": any method).
FORKLARING_IKKE_MAALT: dict[str, tuple[str, ...]] = {
    SPM: (
        "Undersøgelsen blev udskudt til foråret {naeste}, fordi den kommunale måling blev flyttet.",
        "Spørgeskemaet nåede ikke ud før fristen; undersøgelsen gennemføres i januar {naeste}.",
    ),
    REG: ("Registreringen blev ikke ført konsekvent, så vi har ikke et retvisende tal.",),
    NT: (
        "Målingen er ikke gennemført på grund af problemer med udtræk fra fagsystemet.",
        "Nøgletallet for {aar} er endnu ikke offentliggjort.",
    ),
    AUD: ("Auditten blev aflyst og er flyttet til februar {naeste}.",),
    "*": ("Målingen kunne ikke gennemføres i år; vi har aftalt med Kontraktservice, at den sker i januar {naeste}.",),
}  # fmt: skip

INGEN_DOKUMENTATION = "Ingen måling – se forklaring."

MONTHS_DA: tuple[str, ...] = (
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december",
)  # fmt: skip

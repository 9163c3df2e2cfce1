"""Country names, adjectives and codes -> ISO 3166-1 alpha-2 (lower case).

Lists spell countries every way: "Russia", "Russian Federation", "Russian",
"RUS", "RU", "Korea, North", "Korea DPRK", "North Korean". `to_country_code`
folds all of them to "ru"/"kp"; anything it does not know returns None.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# iso2|iso3|names and adjectives separated by ";" (a code may take several lines).
# Extra spellings seen in OFAC, UN, EU and UK files sit next to the official short name.
_TABLE = """
af|afg|Afghanistan;Afghan;Islamic Republic of Afghanistan
ax|ala|Aland Islands
al|alb|Albania;Albanian
dz|dza|Algeria;Algerian
as|asm|American Samoa
ad|and|Andorra;Andorran
ao|ago|Angola;Angolan
ai|aia|Anguilla
aq|ata|Antarctica
ag|atg|Antigua and Barbuda;Antigua;Antiguan
ar|arg|Argentina;Argentine;Argentinian
am|arm|Armenia;Armenian
aw|abw|Aruba
au|aus|Australia;Australian
at|aut|Austria;Austrian
az|aze|Azerbaijan;Azerbaijani;Azeri
bs|bhs|Bahamas;The Bahamas;Bahamas, The;Bahamian
bh|bhr|Bahrain;Bahraini
bd|bgd|Bangladesh;Bangladeshi
bb|brb|Barbados;Barbadian
by|blr|Belarus;Belrus;Belarusian;Belarussian;Byelorussian;Republic of Belarus
be|bel|Belgium;Belgian
bz|blz|Belize;Belizean
bj|ben|Benin;Beninese
bm|bmu|Bermuda
bt|btn|Bhutan;Bhutanese
bo|bol|Bolivia;Bolivian;Plurinational State of Bolivia;Bolivia (Plurinational State of)
bq|bes|Bonaire, Sint Eustatius and Saba
ba|bih|Bosnia and Herzegovina;Bosnia-Herzegovina;Bosnia;Bosnian
bw|bwa|Botswana;Motswana
br|bra|Brazil;Brazilian
vg|vgb|British Virgin Islands;Virgin Islands, British
bn|brn|Brunei;Brunei Darussalam;Bruneian
bg|bgr|Bulgaria;Bulgarian
bf|bfa|Burkina Faso;Burkinabe
bi|bdi|Burundi;Burundian
cv|cpv|Cabo Verde;Cape Verde;Cape Verdean
kh|khm|Cambodia;Cambodian
cm|cmr|Cameroon;Cameroonian
ca|can|Canada;Canadian
ky|cym|Cayman Islands
cf|caf|Central African Republic;Central African
td|tcd|Chad;Chadian
cl|chl|Chile;Chilean
cn|chn|China;Chinese;People's Republic of China;China, People's Republic of;PRC
co|col|Colombia;Colombian
km|com|Comoros;Comoran;Comorian
cg|cog|Congo;Republic of the Congo;Congo, Republic of the;Congo-Brazzaville
cg|cog|Congolese (Brazzaville)
cd|cod|Democratic Republic of the Congo;Congo (Democratic Republic);Congo, Democratic Republic
cd|cod|Congo (Democratic Republic of the);Congo, Democratic Republic of the;DR Congo;DRC
cd|cod|Congo-Kinshasa;Zaire;Congolese;Democratic Republic of Congo
cd|cod|The Democratic Republic of the Congo
ck|cok|Cook Islands
cr|cri|Costa Rica;Costa Rican
ci|civ|Cote d'Ivoire;Cote d Ivoire;Ivory Coast;Ivorian
hr|hrv|Croatia;Croatian
cu|cub|Cuba;Cuban
cw|cuw|Curacao
cy|cyp|Cyprus;Cypriot
cz|cze|Czechia;Czech Republic;Czech
dk|dnk|Denmark;Danish
dj|dji|Djibouti;Djiboutian
dm|dma|Dominica;Dominican (Dominica)
do|dom|Dominican Republic;Dominican
ec|ecu|Ecuador;Ecuadorian
eg|egy|Egypt;Egyptian
sv|slv|El Salvador;Salvadoran
gq|gnq|Equatorial Guinea;Equatoguinean
er|eri|Eritrea;Eritrean
ee|est|Estonia;Estonian
sz|swz|Eswatini;Swaziland;Swazi
et|eth|Ethiopia;Ethiopian
fk|flk|Falkland Islands
fo|fro|Faroe Islands
fj|fji|Fiji;Fijian
fi|fin|Finland;Finnish
fr|fra|France;French
gf|guf|French Guiana
pf|pyf|French Polynesia
ga|gab|Gabon;Gabonese
gm|gmb|Gambia;The Gambia;Gambia, The;Gambian
ge|geo|Georgia;Georgian
de|deu|Germany;German;Federal Republic of Germany
gh|gha|Ghana;Ghanaian
gi|gib|Gibraltar
gr|grc|Greece;Greek
gl|grl|Greenland
gd|grd|Grenada;Grenadian
gp|glp|Guadeloupe
gu|gum|Guam
gt|gtm|Guatemala;Guatemalan
gg|ggy|Guernsey
gn|gin|Guinea;Guinean
gw|gnb|Guinea-Bissau;Guinea Bissau;Bissau-Guinean
gy|guy|Guyana;Guyanese
ht|hti|Haiti;Haitian
va|vat|Holy See;Vatican;Vatican City
hn|hnd|Honduras;Honduran
hk|hkg|Hong Kong;Hong Kong SAR;Hong Kong, China;Hong Kong Special Administrative Region
hu|hun|Hungary;Hungarian
is|isl|Iceland;Icelandic
in|ind|India;Indian
id|idn|Indonesia;Indonesian
ir|irn|Iran;Iranian;Islamic Republic of Iran;Iran (Islamic Republic of)
ir|irn|Iran, Islamic Republic of
iq|irq|Iraq;Iraqi
ie|irl|Ireland;Irish
im|imn|Isle of Man;Man, Isle of
il|isr|Israel;Israeli
it|ita|Italy;Italian
jm|jam|Jamaica;Jamaican
jp|jpn|Japan;Japanese
je|jey|Jersey
jo|jor|Jordan;Jordanian
kz|kaz|Kazakhstan;Kazakh;Kazakhstani
ke|ken|Kenya;Kenyan
ki|kir|Kiribati
kp|prk|North Korea;Korea (North);Korea, North Korea;North Korean;Korea, North;Korea North
kp|prk|Korea DPRK;Korea (DPRK);DPRK;D.P.R.K.;Democratic People's Republic of Korea
kp|prk|Korea, Democratic People's Republic of;Democratic People's Republic of Korea (DPRK)
kp|prk|Korea, Dem. People's Rep.;Korean (DPRK)
kr|kor|South Korea;South Korean;Korea, South;Korea South;Republic of Korea;Korea, Republic of
kr|kor|Korea (Republic of);ROK
xk|xkx|Kosovo;Kosovar
kw|kwt|Kuwait;Kuwaiti
kg|kgz|Kyrgyzstan;Kyrgyz;Kyrgyz Republic;Kirghiz
la|lao|Laos;Lao;Laotian;Lao People's Democratic Republic
lv|lva|Latvia;Latvian
lb|lbn|Lebanon;Lebanese
ls|lso|Lesotho;Basotho
lr|lbr|Liberia;Liberian
ly|lby|Libya;Libyan;Libyan Arab Jamahiriya
li|lie|Liechtenstein
lt|ltu|Lithuania;Lithuanian
lu|lux|Luxembourg;Luxembourgish
mo|mac|Macao;Macau
mg|mdg|Madagascar;Malagasy
mw|mwi|Malawi;Malawian
my|mys|Malaysia;Malaysian
mv|mdv|Maldives;Maldivian
ml|mli|Mali;Malian
mt|mlt|Malta;Maltese
mh|mhl|Marshall Islands;Marshallese
mq|mtq|Martinique
mr|mrt|Mauritania;Mauritanian
mu|mus|Mauritius;Mauritian
yt|myt|Mayotte
mx|mex|Mexico;Mexican
fm|fsm|Micronesia;Micronesia, Federated States of;Micronesian
md|mda|Moldova;Repubic of Moldova;Moldovan;Republic of Moldova;Moldova, Republic of
mc|mco|Monaco;Monegasque
mn|mng|Mongolia;Mongolian
me|mne|Montenegro;Montenegrin
ms|msr|Montserrat
ma|mar|Morocco;Moroccan
mz|moz|Mozambique;Mozambican
mm|mmr|Myanmar;Burma;Burmese;Myanmar (Burma)
na|nam|Namibia;Namibian
nr|nru|Nauru;Nauruan
np|npl|Nepal;Nepalese;Nepali
nl|nld|Netherlands;Dutch;The Netherlands;Holland
nc|ncl|New Caledonia
nz|nzl|New Zealand;New Zealander
ni|nic|Nicaragua;Nicaraguan
ne|ner|Niger;Nigerien
ng|nga|Nigeria;Nigerian
nu|niu|Niue
mk|mkd|North Macedonia;Macedonia;Macedonian;Republic of North Macedonia
mk|mkd|The former Yugoslav Republic of Macedonia
mp|mnp|Northern Mariana Islands
no|nor|Norway;Norwegian
om|omn|Oman;Omani
pk|pak|Pakistan;Pakistani
pw|plw|Palau;Palauan
ps|pse|Palestine;Occupied Palestinian Territories;Palestinian;State of Palestine
ps|pse|Palestinian Territories;Occupied Palestinian Territory;West Bank;Gaza;Gaza Strip
ps|pse|West Bank and Gaza
pa|pan|Panama;Panamanian
pg|png|Papua New Guinea;Papua New Guinean
py|pry|Paraguay;Paraguayan
pe|per|Peru;Peruvian
ph|phl|Philippines;Filipino;Philippine
pn|pcn|Pitcairn
pl|pol|Poland;Polish
pt|prt|Portugal;Portuguese
pr|pri|Puerto Rico;Puerto Rican
qa|qat|Qatar;Qatari
re|reu|Reunion
ro|rou|Romania;Romanian
ru|rus|Russia;Russian;Russian Federation;Russian Federation (the)
rw|rwa|Rwanda;Rwandan
bl|blm|Saint Barthelemy
sh|shn|Saint Helena
kn|kna|Saint Kitts and Nevis;St. Kitts and Nevis;Kittitian
lc|lca|Saint Lucia;St. Lucia;Saint Lucian
mf|maf|Saint Martin
pm|spm|Saint Pierre and Miquelon
vc|vct|Saint Vincent and the Grenadines;St. Vincent and the Grenadines;Vincentian
ws|wsm|Samoa;Samoan
sm|smr|San Marino;Sammarinese
st|stp|Sao Tome and Principe;Sao Tomean
sa|sau|Saudi Arabia;Saudi;Saudi Arabian;Kingdom of Saudi Arabia
sn|sen|Senegal;Senegalese
rs|srb|Serbia;Serbian;Republic of Serbia
sc|syc|Seychelles;Seychellois
sl|sle|Sierra Leone;Sierra Leonean
sg|sgp|Singapore;Singaporean
sx|sxm|Sint Maarten
sk|svk|Slovakia;Slovak;Slovak Republic
si|svn|Slovenia;Slovenian;Slovene
sb|slb|Solomon Islands;Solomon Islander
so|som|Somalia;Somali
za|zaf|South Africa;South African
ss|ssd|South Sudan;South Sudanese
es|esp|Spain;Spanish
lk|lka|Sri Lanka;Sri Lankan
sd|sdn|Sudan;Sudanese
sr|sur|Suriname;Surinamese
se|swe|Sweden;Swedish
ch|che|Switzerland;Swiss
sy|syr|Syria;Syrian;Syrian Arab Republic
tw|twn|Taiwan;Taiwanese;Chinese Taipei;Taiwan, Province of China
tj|tjk|Tajikistan;Tajik;Tajikistani
tz|tza|Tanzania;Tanzanian;United Republic of Tanzania;Tanzania, United Republic of
th|tha|Thailand;Thai
tl|tls|Timor-Leste;East Timor;Timorese
tg|tgo|Togo;Togolese
to|ton|Tonga;Tongan
tt|tto|Trinidad and Tobago;Trinidadian;Tobagonian
tn|tun|Tunisia;Tunisian
tr|tur|Turkey;Turkish;Turkiye;Republic of Turkiye
tm|tkm|Turkmenistan;Turkmen
tc|tca|Turks and Caicos Islands
tv|tuv|Tuvalu;Tuvaluan
ug|uga|Uganda;Ugandan
ua|ukr|Ukraine;Ukrainian
ae|are|United Arab Emirates;UAE;U.A.E.;Emirati;Emirian
gb|gbr|United Kingdom;UK;U.K.;Great Britain;Britain;British;England;Scotland;Wales
gb|gbr|Northern Ireland;United Kingdom of Great Britain and Northern Ireland
us|usa|United States;United States of America;USA;U.S.A.;U.S.;American;US
uy|ury|Uruguay;Uruguayan
uz|uzb|Uzbekistan;Uzbek;Uzbekistani
vu|vut|Vanuatu;Ni-Vanuatu
ve|ven|Venezuela;Venezuelan;Bolivarian Republic of Venezuela;Venezuela (Bolivarian Republic of)
vn|vnm|Vietnam;Viet Nam;Vietnamese
vi|vir|US Virgin Islands;Virgin Islands, U.S.
wf|wlf|Wallis and Futuna
eh|esh|Western Sahara;Sahrawi
ye|yem|Yemen;Yemeni
zm|zmb|Zambia;Zambian
zw|zwe|Zimbabwe;Zimbabwean
su|sun|Soviet Union;Former Soviet Union;USSR;Union of Soviet Socialist Republics;Soviet
an|ant|Netherlands Antilles
tf|atf|French Southern Territories
io|iot|British Indian Ocean Territory
cx|cxr|Christmas Island
cc|cck|Cocos (Keeling) Islands
nf|nfk|Norfolk Island
tk|tkl|Tokelau
sj|sjm|Svalbard and Jan Mayen
gs|sgs|South Georgia and the South Sandwich Islands
um|umi|United States Minor Outlying Islands
hm|hmd|Heard Island and McDonald Islands
bv|bvt|Bouvet Island
yu|yug|Yugoslavia;Yugoslav;Federal Republic of Yugoslavia
"""

# Codes that are also common words; accepted as ISO2 only when written as a code.
_ISO2: dict[str, str] = {}
_LOOKUP: dict[str, str] = {}


def _key(text: str) -> str:
    """Fold accents, case, punctuation and a leading "the" so spellings meet."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'").replace("&", " and ")
    text = re.sub(r"[^a-z0-9']+", " ", text).strip()
    text = text.replace("'", "")
    if text.startswith("the "):
        text = text[4:]
    return text


for _line in _TABLE.strip().splitlines():
    _iso2, _iso3, _names = _line.split("|")
    _ISO2[_iso2] = _iso2
    _LOOKUP.setdefault(_iso3, _iso2)
    for _name in _names.split(";"):
        _LOOKUP[_key(_name)] = _iso2

# Codes a list may use that are not ISO 3166 alpha-2.
_LOOKUP.update({"uk": "gb", "el": "gr", "kos": "xk"})

COUNTRY_CODES: frozenset[str] = frozenset(_ISO2)


@lru_cache(maxsize=4096)
def to_country_code(text: str) -> str | None:
    """ISO2 lower case for a country name, adjective, ISO2 or ISO3 code; None if unknown."""
    if not text:
        return None

    raw = text.strip()
    if len(raw) == 2 and raw.isalpha():
        low = raw.lower()
        if low in _ISO2:
            return low
        return _LOOKUP.get(low)
    key = _key(raw)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    # "Russia (citizen)", "Iraq, Baghdad": try the part before a bracket or comma.
    head = re.split(r"[(,;]", raw, maxsplit=1)[0]
    if head != raw:
        found = _LOOKUP.get(_key(head))
        if found:
            return found
    return None


_PIECES = re.compile(r"\(\s*[a-z0-9]\s*\)|\b[a-z]\)|[,;/.\n]|\band/or\b|\band\b|\bor\b", re.I)
_QUALIFIER = re.compile(
    r"^(?:possibly|allegedly|assumed|reportedly|probably|presumably|former|formerly|"
    r"of registration|region:|country of registration|citizen of|national of|of the)\s+",
    re.I,
)


def _strip_qualifiers(text: str) -> str:
    while True:
        stripped = _QUALIFIER.sub("", text)
        if stripped == text:
            return text
        text = stripped


def country_codes(text: str) -> list[str]:
    """Every country in a free-text cell ("(a) German, (b) Moroccan", "Syrian/Iranian")."""
    if not text or not text.strip():
        return []
    return list(_country_codes(text))


@lru_cache(maxsize=16384)
def _country_codes(text: str) -> tuple[str, ...]:
    text = _strip_qualifiers(text.strip())
    whole = to_country_code(text)
    if whole:
        return (whole,)
    out: list[str] = []
    for piece in _PIECES.split(text):
        piece = _strip_qualifiers(piece.strip(" \"'()"))
        if not piece:
            continue
        code = to_country_code(piece)
        if code is None:
            words = piece.split()
            # "Italian since 1990", "Sudanese by birth": the leading words name it.
            for n in (3, 2, 1):
                if len(words) > n:
                    code = to_country_code(" ".join(words[:n]))
                    if code:
                        break
        if code and code not in out:
            out.append(code)
    return tuple(out)

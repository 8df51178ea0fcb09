"""Author names as a byline shows them, without what surrounds them on the page.

The sources of an article's authors (JSON-LD, `<meta name=author>`, byline elements,
trafilatura's author rules) hand over what the page's markup holds, and that is often more
than the name: a label ("Written by", "Posted By:", "About the author", "View all posts
by"), an HTML entity never decoded ("Maria &amp; Katerina"), the author's role run into
the name by `text_content()` ("Amy Roeder Senior Editor"), a role or credential the byline
lists as a name of its own ("Senior Writer", "BSN"), a bio or a link text holding the name
again, or no name at all ("By", "Author", "Name *", "Dec").

`clean_authors` keeps the names and drops the rest. It never invents a name: each name it
returns is a run of words of one of the strings it was given.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .text import ideographic

# Chinese and Japanese bylines: the outlet's own ("本报", "新华社") and the labels.
_CJK_OUTLET = "(?:本报|本報|新华社|新華社)"
_CJK_LABEL = "(?:记者|記者|作者|撰文|撰稿|筆者)"
# The end of an outlet's name, never of a person's, in Chinese, Japanese and Korean: "新华网"
# (a net), "新华社" (an agency), "人民日报", "朝日新聞", "共同通信", "NHK放送", "조선일보",
# "연합뉴스", "KBS방송".
_CJK_OUTLET_END = re.compile(r"(?:网|網|社|报|報|新闻|新聞|电视台|電視台|通信|放送"
                             r"|일보|신문|뉴스|방송)$")
# Labels before a name: "By", "Written by", "This post was written by", "Posted By:",
# "Authored by:", "Recipe by", "Text:", "Von", "Par", "Por", "Door", "Автор:", "About the author",
# "View all posts by"... ("Reviewed by", "Edited by", "Photos by" name someone else.)
_LABEL = re.compile(
    r"^(?:(?:this|the) (?:post|article|story|piece|guide|recipe|review) (?:was|is) )?"
    r"(?:(?:written|posted|published|authored|reported|compiled|created|words|story|text"
    r"|article|recipe|guide|column|analysis|opinion|interview) )?by\b\s*:?\s*"
    r"|^(?:(?:view|see|read) )?(?:all |more )?(?:posts|articles|stories) by\b\s*:?\s*"
    r"|^(?:read more|more) (?:about|from)\b\s*:?\s*"
    r"|^(?:about|meet) the authors?\b\s*:?\s*"
    r"|^authors? of this (?:article|post|story)\b\s*:?\s*"
    r"|^(?:authors?|author name|written|posted|autor|autora|auteur|автор[ыа]?|текст|texte?|texto"
    r"|von|par|por|oleh|penulis|reporter|wartawan|بقلم|كتب|लेखक|संवाददाता|tác giả|phóng viên)"
    r"\s*[:：]\s*"
    r"|^(?:oleh|بقلم)\s+(?=\S+\s+\S)"  # "Oleh Budi Santoso", "بقلم أحمد الخطيب"
    r"|^(?:authors?|von|par|por|door|автор[ыа]?)\s+(?=[A-ZА-ЯЁÀ-Þ]\S*\s+\S)"
    r"|^(?-i:di)\s+(?=[A-ZÀ-Þ]\S*\s+\S)"  # "di Marco Rossi" ("Di Marco" is a surname)
    r"|^(?:scritto da|a cura di)\b\s*:?\s*"  # Italian "written by", "edited by"
    # Chinese and Japanese: "记者 张三", "作者：王五", "新华社记者 李四", "本报记者李四" (a
    # name of two to four characters run in), "文/赵六", "文/图 赵六", "文＝山田"
    rf"|^{_CJK_OUTLET}?(?:特约|特約)?{_CJK_LABEL}(?:\s*[:：]\s*|\s+)"
    rf"|^{_CJK_OUTLET}(?:特约|特約)?(?:记者|記者)(?=[\u4e00-\u9fff]{{2,4}}$)"
    # Taiwan's "記者王小明／台北報導": the reporter, then the place and "reports"
    r"|^(?:记者|記者)(?=[\u4e00-\u9fff]{2,4}\s*[/／])"
    r"|^[文图圖]\s*[/／]\s*[文图圖]\s+|^[文图圖](?:\s*[/／]\s*[文图圖])?\s*[/／:：=＝]\s*",
    re.IGNORECASE)
# The labels of a credit for the pictures ("Photo:", "Фото:", "Ilustración:") and of the
# writer's own credit beside it ("Text:", "Texte :", "Texto:", "Текст:").
_PICTURE_LABEL = (r"(?:photos?|fotos?|фото|illustrations?|ilustración|ilustração|bild|bilder"
                  r"|grafik)\s*[:：]")
_WRITER_LABEL = r"\b(?:text|texte|texto|текст)\s*[:：]"
# A credit for someone who did not write the story, from its label to the end: "Photo by
# Mark Lee", "Illustration by Sara Kim", "Medically reviewed by Dr. Paul Grant", "Edited by
# Tom Brown", "Fact-checked by ...", "Foto: dpa"; alone (no author named), or run in after the
# author's name ("Jane Doe Photos by Mark Lee", "Jane DoePhotos by...": a byline box's
# elements joined).
_CREDIT = re.compile(
    r"(?:(?:^|\s|(?-i:(?<=[a-z])(?=[A-Z])))(?:(?:medically|legally|clinically|expert) )?"
    r"(?:reviewed|fact[- ]?checked|(?:copy[- ]?)?edit(?:ed|ing)|photos?|photographs?|photography"
    rf"|illustrations?|illustrated|graphics?|videos?|images?|translated|produced) by\b"
    rf"|^{_PICTURE_LABEL})"
    # ... to the end, or to the writer's own label after it ("Фото: Иван Сидоров. Текст:
    # Анна Петрова", "Photo: Mark Lee | Text: Jane Doe")
    rf".*?(?=\s*(?:[.;|,/]\s*)?{_WRITER_LABEL}|$)", re.IGNORECASE)
# A line that credits the pictures first and the writer after ("Фото: Иван Петров. Текст:
# Анна Смирнова"): the credit, up to the writer's label.
_PICTURES_FIRST = re.compile(rf"\s*{_PICTURE_LABEL}[^:：]*?[.;|,/]?\s*(?={_WRITER_LABEL})",
                             re.IGNORECASE)
# "ByJane Doe": a label run into the name (a capital straight after it).
_GLUED_LABEL = re.compile(r"^(?:Written |Posted )?By(?=[A-Z][a-z])")
# Labels after a name: "View all posts by...", "More posts from this author", a link arrow.
_TRAILER = re.compile(
    r"\s*(?:[|•·-]\s*)?(?:(?:view|see|read) (?:all|more) (?:posts|articles|stories)\b.*"
    r"|more (?:posts|articles|stories) (?:from|by) this author.*|\b(?:is|was) an? .*"
    r"|(?<=\w)\s*(?:报道|報道|報導|报导|摄影|攝影|摄|攝|供稿)"  # "王晓明 报道": reports, photos
    r"|(?<=\w)\s*[/／]\s*[\u4e00-\u9fff]{0,6}(?:报道|報道|報導|报导)"  # "／台北報導": the place
    r"|(?<=\w)\s+(?:기자|특파원|선임기자|객원기자))$",  # "김민수 기자": reporter, correspondent
    re.IGNORECASE)
# What a byline puts around a name: quotes, separators, bullets, arrows, icons, asterisks.
_EDGES = " \t,;:|/\\-–—•·*&\"'“”‘’«»→←›‹✉✎©[]{}（）【】「」『』〔〕《》、，：；"
# Roles, which a byline runs into the name or lists beside it.
ROLE_NOUNS = frozenset({
    "writer", "writers", "reporter", "editor", "editors", "author", "founder", "co-founder",
    "cofounder", "contributor", "correspondent", "columnist", "journalist", "reviewer",
    "producer", "strategist", "manager", "director", "coordinator", "specialist",
    "consultant", "analyst", "intern", "expert", "photographer", "researcher", "ceo", "cto",
    "president", "owner", "blogger", "head", "lead",
    # ... and in the languages whose bylines set the role after the name and a comma ("Por
    # María López, corresponsal en Lima", "Par Jean Dupont, envoyé spécial à Kiev")
    "corresponsal", "correspondant", "correspondante", "corrispondente", "correspondente",
    "korrespondent", "korrespondentin", "korespondent", "корреспондент", "redakteur",
    "redakteurin", "rédacteur", "rédactrice", "redactor", "redactora", "redattore",
    "redattrice", "redator", "redatora", "redacteur", "journaliste", "periodista",
    "giornalista", "jornalista", "dziennikarz", "dziennikarka", "журналист", "reportero",
    "reportera", "repórter", "envoyé", "envoyée", "enviado", "enviada", "inviato", "inviata",
    "chroniqueur", "chroniqueuse", "columnista", "colunista", "editorialista", "kolumnist",
    "kolumnistin", "verslaggever", "обозреватель", "muhabir"})
# A role as the last word of three or more is run into the name only if it is one of these
# ("Jane Doe Reporter"; "Mary Jane Head" is a name).
LAST_WORD_ROLES = frozenset({
    "writer", "reporter", "editor", "founder", "co-founder", "contributor", "correspondent",
    "columnist", "journalist", "reviewer", "author", "blogger"})
# After a separator ("Jane Doe | Author", "John Roe - Editorial Team"), these are roles too.
TEAM_WORDS = frozenset({"team", "staff", "desk"})
# The lower-case words of a name ("Jan de Vries", "Ursula von der Leyen").
PARTICLES = frozenset({"de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der",
                       "den", "la", "le", "du", "bin", "ibn", "al", "el"})
# Words that open a role ("Senior Autos Reporter", "Former Deputy Tech Editor").
ROLE_OPENERS = frozenset({
    "senior", "junior", "contributing", "staff", "deputy", "former", "lead", "chief",
    "managing", "executive", "associate", "assistant", "freelance", "guest", "principal",
    "content", "editorial", "head", "certified", "licensed", "corresponding", "editor",
    "editor-in-chief", "writer", "reporter", "correspondent", "columnist", "founder",
    "co-founder", "author"})
# A newsroom's desks and beats, which open a role run into a name from its third word on
# ("Jordana Cepelewicz Math Editor", "Jane Doe Politics Reporter"); no word that is also a
# common surname ("Hall", "Street", "House", "Price", "Field", "Law").
BEATS = frozenset({
    "politics", "political", "math", "mathematics", "science", "health", "business", "tech",
    "technology", "sports", "education", "climate", "environment", "environmental", "crime",
    "courts", "culture", "arts", "food", "travel", "music", "film", "opinion", "economics",
    "economy", "data", "investigations", "investigative", "metro", "national", "foreign",
    "features", "photo", "video", "digital", "entertainment", "fashion", "books", "religion",
    "energy", "markets", "finance", "legal", "security", "defense", "defence", "military",
    "transportation", "weather", "audience", "visual", "graphics", "newsletter", "social"})
# The world's regions, which open a correspondent's or an editor's role as a beat does ("Jane
# Doe Europe editor", "John Roe Middle East correspondent", "Jane Doe Northern Ireland
# reporter"); none a common surname.
REGIONS = frozenset({
    "international", "global", "world", "europe", "asia", "africa", "america", "americas",
    "middle", "latin", "central", "pacific", "caribbean", "northern", "southern", "eastern",
    "western"})
# The points of the compass, which are surnames too ("Mary Ann West"): they open a role only
# before a place's next word ("North America editor", "South Korea correspondent").
COMPASS = frozenset({"north", "south", "east", "west"})
# Agencies and broadcasters a byline names after the writer by their initials ("Jane Doe,
# CNN", "Jean Dupont avec AFP", "Hans Müller mit dpa"); some are first names too, written as
# names are ("Efe Kaya", "Ansa Ahmed": `_agency_first_name`).
AGENCY_WORDS = frozenset({
    "cnn", "bbc", "npr", "abc", "cbs", "nbc", "pbs", "dpa", "efe", "ansa", "anp", "kyodo",
    "xinhua", "yonhap", "tass", "interfax", "lusa"})
# Words of an outlet's or a place's name, never of a person's: "Associated Press", "The New
# York Times", "Mexico City", "Staff", "Wire Services".
OUTLET_WORDS = frozenset({
    "press", "news", "times", "post", "agency", "media", "network", "wire", "wires", "journal",
    "tribune", "herald", "gazette", "daily", "weekly", "magazine", "radio", "tv", "television",
    "reuters", "bloomberg", "afp", "ap", "upi", "city", "county", "state", "university",
    "institute", "foundation", "group", "bureau", "service", "services", "company", "inc",
    "llc", "ltd", "report", "review", "chronicle", "observer", "guardian", "telegraph",
    "independent", "express", "standard", "mail", "star", "sun", "examiner", "courier",
    "dispatch", "register", "bulletin", "monitor", "insider", "online", "digital", "staff",
    "team", "desk", "contributors"}) | AGENCY_WORDS
# Outlet words that are among a language's commonest surnames too (Sun: 孙/孫, Chinese):
# after a first name they end a person's name ("Mark Sun", "Lena H. Sun"), and an outlet
# comes with an article or another outlet word ("The Sun", "Sun Times"). A place's outlet
# without its article reads as a person ("Jane Doe, Toronto Sun") unless it is the site's
# name: the price of the rule, so words rarer as surnames stay out ("Post": "Jakarta Post").
SURNAME_OUTLET_WORDS = frozenset({"sun"})
# A first name, an initial or two, and a surname: "Mark Sun", "Lena H. Sun".
_FIRST_LAST = re.compile(r"[A-ZÀ-Þ][^\W\d_]+(?: [A-Z]\.)* [A-ZÀ-Þ][^\W\d_]+")
# Articles that lead an outlet's name, never a person's ("The Sun", "Die Welt").
ARTICLES = frozenset({"the", "a", "an", "le", "la", "les", "el", "los", "las", "il", "lo",
                      "der", "die", "das", "de", "het", "o", "os"})
# Credentials a byline lists as names of their own ("Jane Doe", "RN", "BSN").
CREDENTIALS = frozenset({
    "md", "m.d.", "phd", "ph.d.", "rn", "bsn", "msn", "np", "dvm", "mba", "mph", "rd", "rdn",
    "cpa", "cfa", "cfp", "esq", "jd", "ma", "ms", "msc", "bsc", "pharmd", "do", "dds", "lcsw",
    "facp", "faclm", "fand", "cscs", "ibclc"})
# Strings that hold no name: placeholders and form labels.
PLACEHOLDERS = frozenset({
    "by", "author", "authors", "the author", "written by", "posted by", "anonymous author",
    "sign in", "log in", "login", "home", "unknown", "null", "none", "undefined"})
# English months, whole or cut short (an alternation for a regex).
MONTHS = ("jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?"
          "|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?")
# A date label or a month where a name should be ("Dec", "Updated March").
_DATE_ONLY = re.compile(rf"^(?:(?:updated|published|posted|last updated)\b.*|(?:{MONTHS})\.?)$",
                        re.IGNORECASE)
# A month's full name run in after a name of three words or more ("Luke Doe December"), or
# one a date label introduces ("Jane Doe Updated Feb"): the start of the byline's date.
# Not a short one alone: "María del Mar", "Tan Wei Jun" end with one.
_FULL_MONTHS = ("january|february|march|april|june|july|august|september|october|november"
                "|december")
_TRAILING_MONTH = re.compile(rf"\s+(?:(?:updated|published|on)\s+(?:{MONTHS})\.?"
                             rf"|(?:{_FULL_MONTHS}))$", re.IGNORECASE)
# (no "@" inside the parts: a run of "@"s would backtrack for seconds)
_EMAIL = re.compile(r"[^\s@()<>\[\]]+@[^\s@()<>\[\]]+\.\w+")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")
# A longer string is no byline; the regexes below need not read it.
MAX_AUTHOR_CHARS = 300
# A template key or a user id, not a name: "page.head.extra.author", "262588213843476".
_NOT_A_NAME = re.compile(r"^(?:\w+\.){3,}\w+$|^[\d\W_]+$")
# A comment form's field label: "Name *", "Name (required):", "Your email".
_FORM_LABEL = re.compile(r"^(?:your )?(?:name|e-?mail|website|comment)\W*(?:\(required\)\W*)?$",
                         re.IGNORECASE)
# A longer string is a sentence or a bio that mentions the author, not a name.
MAX_NAME_WORDS = 7
# ...and a longer word is a token, a URL or junk (an e-mail address alone has its own test).
MAX_WORD_CHARS = 40
# A Chinese or Japanese name longer than this is a sentence ("王晓明是本报资深财经记者..."),
# and one character alone no name ("文/" is a label with none).
MAX_IDEOGRAPHIC_WORD_CHARS = 12
# What still starts with a byline label once the labels are gone is a heading, not a name
# ("作者简介": about the author, "记者手记": a reporter's notes, "記者会見": a press conference).
_CJK_HEADING = re.compile(f"^{_CJK_OUTLET}?{_CJK_LABEL}")
# A possessive followed by a lower-case word is a phrase, not a name ("Southern Living's
# editorial guidelines", a byline element's link to a policy).
_POSSESSIVE_PHRASE = re.compile(r"\w['’]s\s+[a-z]")


# The most distinct names `clean_authors` keeps (the first ones): each is compared with every
# other, and a JSON-LD list of 800 authors took 50 s (a byline of a hundred is a page's
# credits, not its authors).
MAX_AUTHORS = 100


def clean_authors(names: Iterable[str]) -> list[str]:
    """The distinct names among `names` (the first MAX_AUTHORS), each without the labels,
    roles and icons around it; strings that hold no name are dropped, and so is a string
    that only adds words to another one's name ("About Jane Doe" beside "Jane Doe")."""
    unique: list[str] = []
    seen: set[str] = set()
    for name in filter(None, map(clean_name, names)):
        if name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
            if len(unique) == MAX_AUTHORS:
                break
    return [name for name in unique
            if not any(other != name and _holds(name, other) for other in unique)]


def clean_name(value: str) -> str | None:
    """One author name without labels, roles, icons, e-mail addresses and entities; None
    when nothing in `value` is a name."""
    if len(value or "") > MAX_AUTHOR_CHARS:
        return None
    name = " ".join(html.unescape(value or "").split()).strip(_EDGES)
    if not _EMAIL.fullmatch(name):  # an address alone is all the byline gives: it stays
        name = _EMPTY_BRACKETS.sub(" ", _EMAIL.sub(" ", name))
        name = " ".join(name.split()).strip(_EDGES)
    for _ in range(3):  # "About the author: By Jane Doe"
        shorter = _GLUED_LABEL.sub("", _LABEL.sub("", name)).strip(_EDGES)
        if shorter == name:
            break
        name = shorter
    credited = _CREDIT.sub("", name).strip(_EDGES)
    if credited != name:  # the writer's own label, once the credit before it is gone
        name = _LABEL.sub("", credited.lstrip(".;|,/ ")).strip(_EDGES)
    name, bio = _TRAILER.subn("", name)
    name = name.strip(_EDGES)
    words = name.split()
    if bio and len(words) >= 4 and words[:2] == words[2:4]:  # "Jane Doe Jane Doe is a..."
        name = " ".join(words[:2])
    name = _TRAILING_MONTH.sub("", name).strip(_EDGES) if len(name.split()) > 2 else name
    name = _without_role(name)
    if not name or _is_not_a_name(name):
        return None
    return name


def _without_role(name: str) -> str:
    """The name before a role run into it ("Amy Roeder Senior Editor", "Jane Doe Politics
    Editor", "Jane Doe | Author") or an outlet or a place after a separator ("Jane Doe |
    Reuters", "Jane Doe, Associated Press", "Jane Doe/AP", "Jane Doe (Reuters)", "Jane Doe,
    The Commercial Appeal": no one's name starts with "The"; after a bar, an outlet's name
    without an outlet's word stays, as WCXB's annotators keep "Jane Doe | The Texas
    Newsroom"; "Jean Dupont avec AFP", "Jane Doe with The Associated Press"),
    "" for a role on its own ("Senior Writer", "Editor of The Daily"); a role is looked
    for from the third word on, so a name's first two words always stay."""
    for separator in (" | ", "|", " - ", " – ", " — ", ", ", " / ", "/", " ("):
        head, found, tail = name.partition(separator)
        if found and head and (_is_role(tail, ROLE_NOUNS | TEAM_WORDS) or (
                len(head.split()) >= 2 and (_is_outlet_role(tail.rstrip(")")) or (
                    separator == ", " and tail.startswith("The "))))):
            return head.strip(_EDGES)
    # the agency the writer drew on: "Jean Dupont avec AFP", "Jane Doe with The Associated
    # Press", "Hans Müller mit dpa" (not a co-author: "Jane Doe with John Roe")
    joined = _AGENCY_JOINER.search(name)
    if joined and len(name[:joined.start()].split()) >= 2 and _is_outlet_role(
            name[joined.end():]):
        return name[:joined.start()].strip(_EDGES)
    words = name.split()
    bare = [_bare(word) for word in words]
    if bare and bare[0] in ROLE_OPENERS and _is_role(name, ROLE_NOUNS):
        return ""
    if len(bare) >= 2 and bare[-1] in ROLE_NOUNS and all(  # "Digital Security Expert"
            part in BEATS | REGIONS | ROLE_OPENERS
            for word in bare[:-1] for part in word.split("-")):
        return ""  # a role named by its beat alone ("Sports Writer")
    for at in range(2, len(words)):
        last = at == len(words) - 1
        if ((bare[at] in LAST_WORD_ROLES) if last else
                ((bare[at] in ROLE_OPENERS | ROLE_NOUNS | BEATS | REGIONS
                  or _compass_place(words, bare, at))
                 and _is_role(name, ROLE_NOUNS, at))):
            return " ".join(words[:_role_start(words, at)]).strip(_EDGES)
    return name


def _compass_place(words: list[str], bare: list[str], at: int) -> bool:
    """Whether `words[at]` is a point of the compass opening a place's name ("North America",
    "South Korea"): a capitalised word follows it, not one of a role ("Mary Ann West Senior
    reporter": West is her surname)."""
    return (bare[at] in COMPASS and words[at + 1][:1].isupper()
            and bare[at + 1] not in ROLE_OPENERS | ROLE_NOUNS | BEATS)


def _role_start(words: list[str], at: int) -> int:
    """Where the role that ends with or opens at `words[at]` starts: there, or one word
    before a lower-case word no name holds, as a role written in sentence case has them
    ("Jane Smith North of England correspondent", "Tom Roe Home affairs editor"); a name's
    first two words always stay."""
    for word in range(3, at):
        if words[word][:1].islower() and words[word] not in PARTICLES:
            return word - 1
    return at


# The words that join the agency a story draws on to its writer's name, in English, French,
# German, Spanish, Italian and Portuguese.
_AGENCY_JOINER = re.compile(r"\s(?:with|avec|mit|con|com)\s")


# A place's name after a full name and a comma: one capitalised word ("Berlin",
# "Frankfurt/Main"), not initials or a credential in capitals ("MD", "CEPF®"), nor a suffix.
_PLACE = re.compile(r"[A-ZÀ-ÞА-ЯЁ][^\W\d_A-ZÀ-ÞА-ЯЁ]+(?:[-/][^\W\d_]+)?")
_SUFFIXES = frozenset({"jr", "sr", "junior", "senior"})


def without_place(name: str) -> str:
    """A name without the place after it in a dateline's byline ("Hans Müller, Berlin" of
    "Von Hans Müller, Berlin", "María José García, Madrid"): one capitalised word after a
    full name of two to four words and a comma. Only for bylines whose opener sets a place
    after the name ("Von", "Por", "Par"): after an English "By", one word after the comma is
    as often a role ("Tracy Parker, Dietitian")."""
    head, comma, place = name.rpartition(", ")
    if (comma and _PLACE.fullmatch(place) and place.casefold() not in _SUFFIXES
            and 2 <= len(head.split()) <= 4 and all(w[:1].isupper() for w in head.split())):
        return head
    return name


# The place a byline's writer files from, after the name and a preposition, to the end: "in
# Washington", "en Nueva York" (Spanish, French), "em São Paulo", "à Paris", "au Caire", "aus
# Berlin", "desde Madrid"; the place's words capitalised, but for the particles of a place's
# name ("Rio de Janeiro", "Frankfurt am Main").
_PLACE_WORD = r"[A-ZÀ-Þ][\w'’.-]*"
_FILED_FROM = re.compile(rf"\s+(?:in|en|em|à|au|aux|aus|desde)\s+{_PLACE_WORD}"
                         rf"(?:\s+(?:(?:de|del|do|da|la|el|am|an|upon)\s+)?{_PLACE_WORD}){{0,3}}$")


def without_filed_from(name: str, dutch: bool = True) -> str:
    """A name without the place its writer files from ("María López" of "María López en
    Nueva York", "Jane Doe" of "Jane Doe in Washington"), after a full name of two words or
    more: no name has a lower-case "in", "à" or "em" between its words. With `dutch` (a
    byline with no label of another language's) not after "en", which in Dutch joins two
    names ("Jan de Vries en Piet")."""
    found = _FILED_FROM.search(name)
    if (found and len(name[:found.start()].split()) >= 2
            and not (dutch and found.group().split()[0] == "en")):
        return name[:found.start()]
    return name


# A name's last word whose full stop is its own: "Jr.", "Sr.", "M.D.", "Ph.D.".
_ABBREVIATED = re.compile(r"(?:\b(?:Jr|Sr)|\.[A-Za-z]{1,3})\.$")


def without_credit(line: str) -> str:
    """`line` without a credit for someone who did not write the story after the writer's
    name ("Words by Jane Doe" of "Words by Jane Doe, photos by John Roe"), nor the stop
    before it ("By Jane Doe, DVM. Reviewed by John Roe, DVM"): the photographer, the editor
    or the reviewer is no author."""
    credited = _CREDIT.sub("", line) if line else line
    if credited == line:
        return line
    credited = credited.strip(_EDGES)
    return credited if _ABBREVIATED.search(credited) else credited.rstrip(".")


def is_outlet(text: str, words: frozenset[str] = OUTLET_WORDS) -> bool:
    """Whether `text` holds an outlet's word (of `words`: "Associated Press", "Reuters",
    "Star Tribune", "Mexico City"), unless that word is the surname of a first name before
    it ("Mark Sun", not "The Sun" nor "Sun Times")."""
    return (any(word.lower().strip(".,") in words for word in text.split())
            and not _outlet_surname(text) and not _agency_first_name(text))


def is_cjk_outlet(text: str) -> bool:
    """Whether `text` ends as an outlet's name does in Chinese, Japanese or Korean ("新华网",
    "人民日报", "연합뉴스")."""
    return bool(_CJK_OUTLET_END.search(text))


def _agency_first_name(text: str) -> bool:
    """Whether `text` is a person's name whose first name is an agency's initials written
    as a name is ("Efe Kaya", "Ansa Ahmed"; "EFE", "dpa" and "BBC Mundo" are agencies), no
    other word of it an outlet's ("Kyodo News")."""
    words = text.split()
    return (bool(_FIRST_LAST.fullmatch(text)) and words[0].lower() in AGENCY_WORDS
            and words[0][1:].islower()
            and not any(_bare(word) in OUTLET_WORDS for word in words[1:]))


def _outlet_surname(text: str) -> bool:
    """Whether `text` is a person's name whose surname is an outlet's word ("Mark Sun")."""
    bare = [_bare(word) for word in text.split()]
    return (bool(bare) and bare[-1] in SURNAME_OUTLET_WORDS and bool(_FIRST_LAST.fullmatch(text))
            and bare[0] not in ARTICLES | OUTLET_WORDS)


def after_credit(line: str) -> str:
    """`line` from the writer's label on when a credit for the pictures opens it ("Текст:
    Анна Смирнова" of "Фото: Иван Петров. Текст: Анна Смирнова"), as it is otherwise: the
    writer's label then opens the byline, and the photographer is no author."""
    credit = _PICTURES_FIRST.match(line)
    return line[credit.end():] if credit else line


def _bare(word: str) -> str:
    return word.strip(_EDGES + ".").casefold()


def _is_role(text: str, nouns: frozenset[str], start: int = 0) -> bool:
    """Whether the words of `text` from `start` on name a role: one of `nouns`, five
    words at most."""
    bare = [_bare(word) for word in text.split()[start:]]
    return bool(bare) and len(bare) <= 5 and any(word in nouns for word in bare)


def _is_outlet_role(text: str) -> bool:
    """Whether `text` names an outlet in a byline's five words or fewer ("Reuters", "The
    Commercial Appeal Staff"), not a co-author ("Mark Sun", "Efe Kaya")."""
    return (_is_role(text, OUTLET_WORDS) and not _outlet_surname(text)
            and not _agency_first_name(text))


def _is_not_a_name(name: str) -> bool:
    folded = name.casefold()
    words = name.split()
    return (folded in PLACEHOLDERS or folded.strip(".") in CREDENTIALS
            or bool(_FORM_LABEL.match(name))
            or (len(words) == 1 and folded in ROLE_NOUNS)
            or bool(_DATE_ONLY.match(name)) or bool(_NOT_A_NAME.match(name))
            or not any(c.isalpha() for c in name) or len(words) > MAX_NAME_WORDS
            or max(map(len, words)) > MAX_WORD_CHARS
            or (ideographic(name) and not 2 <= max(map(len, words)) <= MAX_IDEOGRAPHIC_WORD_CHARS)
            or bool(_CJK_HEADING.match(name)) or bool(_POSSESSIVE_PHRASE.search(name)))


def _holds(longer: str, name: str) -> bool:
    """Whether `longer` is `name` with a label before it ("About Jane Doe") or words no
    name has after it ("Jane Doe Learn more about her"); not another person's name that
    holds this one ("Jane Doe Jr.", "Jane Doe-Smith", "Jane Doe Pérez")."""
    found = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", longer, re.IGNORECASE)
    if found is None or len(longer) <= len(name):
        return False
    before, after = longer[:found.start()].split(), longer[found.end():].split()
    return any(not word[0].isupper() or _bare(word) in _PREFIX_LABELS for word in before
               ) or any(not word[0].isupper() for word in after)


# Capitalised words that put a label, not a first name, before a name ("About Jane Doe").
_PREFIX_LABELS = frozenset({"about", "meet", "contact", "follow", "more", "from", "by",
                            "author", "authors", "posts", "articles", "bio", "profile"})

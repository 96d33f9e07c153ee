"""The interface in English, Russian or Korean: labels, category and certainty names, dates, place names.

Labels are looked up by their English text, so the code reads as English and a missing translation
falls back to it. Event titles, descriptions and quotes stay as the dataset has them (English
summaries, verbatim quotes in their own language). Pure: no Streamlit here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from components.dataset.model import Dataset

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "ko": "한국어"}

# English text -> (Russian, Korean). "{n}"-style fields are filled by ``t(..., n=...)``.
_LABELS: dict[str, tuple[str, str]] = {
    # page
    "Kim Jong Il and Kim Jong Un's armoured-train trips to the Russian Far East, day by day, every event sourced.": (
        "Поездки Ким Чен Ира и Ким Чен Ына на бронепоезде на Дальний Восток России, день за днём, "
        "у каждого события есть источник.",
        "김정일·김정은의 러시아 극동 열차 방문, 하루하루, 모든 사건에 출처를 달아.",
    ),
    "Language": ("Язык", "언어"),
    "Summit year": ("Год саммита", "정상회담 연도"),
    "Pick at least one summit year to see its trip.": (
        "Выберите хотя бы один год, чтобы увидеть поездку.",
        "방문을 보려면 연도를 하나 이상 고르세요.",
    ),
    "Date": ("Дата", "날짜"),
    "The map shows the route travelled and the events up to this day.": (
        "Карта показывает пройденный путь и события по этот день.",
        "지도는 이날까지 지나온 길과 사건을 보여 줍니다.",
    ),
    "Day of trip (day 0 = the train enters Russia)": (
        "День поездки (день 0 — поезд въезжает в Россию)",
        "방문 일차 (0일 = 열차가 러시아에 들어온 날)",
    ),
    "With several trips selected, days are counted from each train's entry into Russia.": (
        "Когда выбрано несколько поездок, дни считаются от въезда каждого поезда в Россию.",
        "여러 방문을 고르면 각 열차가 러시아에 들어온 날부터 날짜를 셉니다.",
    ),
    "Place": ("Место", "장소"),
    "Click a marker, or choose a place": ("Нажмите на метку или выберите место", "표시를 누르거나 장소를 고르세요"),
    "Click a marker on the map (a numbered circle opens into its places) to see a place's events.": (
        "Нажмите на метку на карте (круг с числом раскрывается в места), чтобы увидеть события места.",
        "지도의 표시를 누르면 (숫자 원은 장소들로 펼쳐집니다) 그 장소의 사건이 보입니다.",
    ),
    "Events so far": ("События на этот день", "지금까지의 사건"),
    # play
    "Play": ("Пуск", "재생"),
    "Pause": ("Пауза", "일시 정지"),
    "Speed": ("Скорость", "속도"),
    "Slow": ("Медленно", "느리게"),
    "Normal": ("Обычно", "보통"),
    "Fast": ("Быстро", "빠르게"),
    "Play the trip day by day from the chosen day; press again (or the P key) to pause.": (
        "Проиграть поездку по дням с выбранного дня; нажмите ещё раз (или клавишу P) для паузы.",
        "고른 날부터 하루씩 재생합니다. 다시 누르거나 P 키로 멈춥니다.",
    ),
    # filters
    "Filters": ("Фильтры", "필터"),
    "Category": ("Категория", "분류"),
    "People": ("Люди", "인물"),
    "Certainty": ("Достоверность", "확실성"),
    "Search": ("Поиск", "검색"),
    "Words in titles, descriptions and quotes": ("Слова в заголовках, описаниях и цитатах", "제목·설명·인용문의 낱말"),
    "Any": ("Любые", "모두"),
    "Clear filters": ("Сбросить фильтры", "필터 지우기"),
    "{hidden} of {total} events up to this day hidden by the filters.": (
        "Фильтры скрывают {hidden} из {total} событий по этот день.",
        "이날까지의 사건 {total}건 중 {hidden}건이 필터로 숨겨졌습니다.",
    ),
    # timeline
    "Timeline": ("Хронология", "연대표"),
    "Each mark is an event at its day and local time; colour is the category, shape the certainty. "
    "A faint bar behind a mark spans the part of the day a source gives instead of a time. "
    "The shaded band is the chosen day. Click a mark to open the event.": (
        "Каждая метка — событие в свой день и местное время; цвет — категория, форма — достоверность. "
        "Бледная полоса за меткой — часть дня, которую источник называет вместо времени. "
        "Затенённая полоса — выбранный день. Нажмите на метку, чтобы открыть событие.",
        "표시 하나가 그 날짜·현지 시각의 사건입니다. 색은 분류, 모양은 확실성. "
        "표시 뒤의 옅은 막대는 출처가 시각 대신 밝힌 때(오전·저녁 등)의 범위입니다. "
        "음영 띠가 고른 날입니다. 표시를 누르면 사건이 열립니다.",
    ),
    "Day of trip": ("День поездки", "방문 일차"),
    "Trip": ("Поездка", "방문"),
    "before": ("до", "이전"),
    "after": ("после", "이후"),
    # compare
    "Compare the trips day by day": ("Сравнение поездок по дням", "방문을 날짜별로 비교"),
    "Day": ("День", "일차"),
    "Trip days": ("Дней", "일수"),
    "Rail km": ("Км по железной дороге", "철도 km"),
    "Places": ("Места", "장소"),
    "Events": ("События", "사건"),
    # figures
    "Days": ("Дни", "일수"),
    "Rail km travelled": ("Пройдено км по железной дороге", "철도 이동 km"),
    # day panel
    "No trip on this day": ("В этот день поездки нет", "이날에는 방문이 없습니다"),
    "None of the selected trips was under way on this day of trip.": (
        "Ни одна из выбранных поездок в этот день не шла.",
        "고른 방문 가운데 이날 진행 중인 것이 없습니다.",
    ),
    "{n} events": ("Событий: {n}", "사건 {n}건"),
    "day {day} of the trip · local times": ("день {day} поездки · местное время", "방문 {day}일차 · 현지 시각"),
    "No events recorded on this day: the train is travelling.": (
        "В этот день событий нет: поезд в пути.",
        "이날 기록된 사건이 없습니다. 열차가 이동 중입니다.",
    ),
    "More on this day than fits here: the table below lists every event.": (
        "За этот день событий больше, чем помещается здесь: все они в таблице ниже.",
        "이날 사건이 여기에 다 들어가지 않습니다. 아래 표에 모두 있습니다.",
    ),
    "Before the {year} trip": ("До поездки {year} года", "{year}년 방문 이전"),
    "After the {year} trip": ("После поездки {year} года", "{year}년 방문 이후"),
    "{year} trip": ("поездка {year} г.", "{year}년 방문"),
    # place panel
    "No events here for the selected years and day.": (
        "Здесь нет событий для выбранных лет и дня.",
        "고른 연도와 날짜에 이곳의 사건이 없습니다.",
    ),
    "{n} events here up to the chosen day": ("Событий здесь по выбранный день: {n}", "고른 날까지 이곳의 사건 {n}건"),
    "Link": ("Ссылка", "링크"),
    "Cite": ("Цитировать", "인용"),
    "A link that opens this event:": ("Ссылка, открывающая это событие:", "이 사건을 여는 링크:"),
    "A reference for this event (copy with the button at the right):": (
        "Ссылка на источник этого события (скопируйте кнопкой справа):",
        "이 사건의 참고 문헌 (오른쪽 단추로 복사):",
    ),
    # downloads
    "Take the data away": ("Скачать данные", "데이터 내려받기"),
    "Events (CSV)": ("События (CSV)", "사건 (CSV)"),
    "Events and route (GeoJSON)": ("События и маршрут (GeoJSON)", "사건과 경로 (GeoJSON)"),
    "Map (HTML, opens offline)": ("Карта (HTML, без интернета)", "지도 (HTML, 오프라인)"),
    "Whole dataset (zip)": ("Весь набор данных (zip)", "전체 데이터 (zip)"),
    # map
    "Map of the trips: routes, places and trains": (
        "Карта поездок: маршруты, места и поезда",
        "방문 지도: 경로, 장소, 열차",
    ),
    "Map. Arrow keys pan, plus and minus zoom. Tab reaches the places; Enter opens a place or a group of places.": (
        "Карта. Стрелки сдвигают карту, плюс и минус меняют масштаб. Tab переходит по местам; "
        "Enter открывает место или группу мест.",
        "지도. 화살표 키로 움직이고 더하기·빼기로 확대·축소합니다. Tab으로 장소에 가고 Enter로 장소나 장소 묶음을 엽니다.",
    ),
    "route still ahead": ("путь впереди", "남은 경로"),
    "train at the end of the chosen day": ("поезд в конце выбранного дня", "고른 날 끝의 열차 위치"),
    "place (size: events; dark: several trips)": (
        "место (размер — число событий; тёмное — несколько поездок)",
        "장소 (크기: 사건 수, 진한 색: 여러 방문)",
    ),
    "Legend": ("Легенда", "범례"),
    "1 place outside this view": ("Вне обзора: 1 место", "화면 밖 장소 1곳"),
    "{n} places outside this view": ("Вне обзора мест: {n}", "화면 밖 장소 {n}곳"),
    "Event": ("Событие", "사건"),
    "c.": ("ок.", "약"),
    "planned": ("план", "예정"),
    # parts of the day, where a source gives no clock time
    "early morning": ("рано утром", "새벽"),
    "morning": ("утром", "오전"),
    "afternoon": ("днём", "오후"),
    "evening": ("вечером", "저녁"),
    "night": ("ночью", "밤"),
    "Length of the drawn rail lines. In Russia they are traced OpenStreetMap track, within 2 % of the official distances; in North Korea Natural Earth's generalised lines, about 8 % short of the kilometre posts; straight links where neither has the track (Tumangang to the Friendship Bridge, the Vostochny Cosmodrome branch). data/README.md lists every leg.": (
        "Длина нарисованных путей. В России — трассировка путей OpenStreetMap, в пределах 2 % от официальных "
        "расстояний; в КНДР — обобщённые линии Natural Earth, примерно на 8 % короче километровых столбов; "
        "прямые отрезки там, где путей нет ни в одном источнике (Туманган — мост Дружбы, ветка к космодрому "
        "Восточный). Все участки перечислены в data/README.md.",
        "그려진 철길의 길이. 러시아 구간은 OpenStreetMap에서 추적한 선로로 공식 거리와 2 % 이내로 맞고, 북한 "
        "구간은 일반화된 Natural Earth 선이라 킬로미터 표지보다 약 8 % 짧으며, 두 자료 모두 선로가 없는 곳(두만강역–"
        "친선교, 보스토치니 우주기지 지선)은 직선입니다. 모든 구간은 data/README.md에 있습니다.",
    ),
    # categories
    "announcement": ("объявление", "발표"),
    "travel": ("в пути", "이동"),
    "arrival": ("прибытие", "도착"),
    "departure": ("отъезд", "출발"),
    "summit": ("саммит", "정상회담"),
    "talks": ("переговоры", "회담"),
    "tour": ("осмотр", "시찰"),
    "meal": ("обед/ужин", "연회"),
    "gift": ("подарок", "선물"),
    "ceremony": ("церемония", "의식"),
    "commemoration": ("память", "기념"),
    "context": ("контекст", "배경"),
    # certainty
    "confirmed": ("подтверждено", "확인됨"),
    "reported": ("сообщается", "보도됨"),
    "approximate": ("приблизительно", "추정"),
}
_MONTHS_RU = ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
_WEEKDAYS_RU = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
_WEEKDAYS_KO = ("월", "화", "수", "목", "금", "토", "일")


def t(text: str, lang: str = "en", **fields: object) -> str:
    """The label in the chosen language (English when there is no translation), fields filled in."""
    found = _LABELS.get(text)
    chosen = text if lang == "en" or found is None else found[0 if lang == "ru" else 1]
    return chosen.format(**fields) if fields else chosen


def known_labels() -> set[str]:
    """Every English label that has translations (for tests)."""
    return set(_LABELS)


def day_label(when: date, lang: str = "en", weekday: bool = True) -> str:
    """A date as readers of the language write it: 'Thu 25 Apr 2019', 'чт 25 апр 2019', '2019년 4월 25일 (목)'."""
    if lang == "ru":
        text = f"{when.day} {_MONTHS_RU[when.month - 1]} {when.year}"
        return f"{_WEEKDAYS_RU[when.weekday()]} {text}" if weekday else text
    if lang == "ko":
        text = f"{when.year}년 {when.month}월 {when.day}일"
        return f"{text} ({_WEEKDAYS_KO[when.weekday()]})" if weekday else text
    return when.strftime("%a %d %b %Y" if weekday else "%d %b %Y")


def localize(ds: Dataset, lang: str) -> Dataset:
    """The dataset with place names in the language (English where none is recorded); the English
    name stays in ``name_en``."""
    if lang not in ("ru", "ko"):
        return ds
    places = ds.places.copy()
    places["name_en"] = places["name"]
    local = places[f"name_{lang}"].where(places[f"name_{lang}"].str.strip() != "", places["name"])
    places["name"] = local
    return replace(ds, places=places)

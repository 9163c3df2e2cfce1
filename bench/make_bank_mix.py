"""Writes bench/data/bank_mix.csv: the fixed query mix `make bench` screens.

    python bench/make_bank_mix.py        (rewrites the committed file; seeded, deterministic)

The mix mirrors a bank's customer and counterparty traffic. Every name is composed from
the word pools below, written for this file (common first names, surnames and company
words of each population), plus a few designated names as the press writes them; nothing
is copied from the shared list files. Segments and shares:

    latin_western 24%, arabic_latin 10%, cyrillic_person 12%, cyrillic_org 6%,
    hangul 10%, korean_latin 10%, hangul_foreign 6%, company 18%, designated 4%

A quarter of the rows carry a birth date (persons) and a country.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "bank_mix.csv"
N = 2400
SEED = 14


def _words(text: str) -> list[str]:
    """Whitespace-separated words; "_" joins a multi-word surname (van_den_Berg)."""
    return [w.replace("_", " ") for w in text.split()]



WESTERN_FIRST = _words("""James John Robert Michael William David Richard Joseph Thomas Charles Mary
Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Hans Klaus Jürgen Stefan
Andreas Petra Sabine Monika Ursula Claudia Pierre Jean Michel Philippe Nicolas Isabelle
Nathalie Sophie Camille Giuseppe Giovanni Marco Luca Francesca Chiara Giulia José Antonio
Manuel Francisco Carmen Lucía Pablo Javier João Miguel Ana Beatriz Pieter Jan Sanne Lars
Erik Ingrid Astrid Søren Mikkel Piotr Krzysztof Agnieszka Katarzyna Tomasz Jakub Tereza
Patrick Sean Siobhan Liam Emma Olivia Noah Oliver Charlotte Amelia""")
WESTERN_LAST = _words(
    """Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore
Jackson Martin Thompson White Harris Clark Lewis Walker Müller Schmidt Schneider Fischer
Weber Meyer Wagner Becker Hoffmann Schäfer Dubois Durand Lefebvre Moreau Laurent Girard
Bonnet Rossi Russo Ferrari Esposito Bianchi Romano Colombo García Fernández González
Rodríguez López Martínez Sánchez Pérez Silva Santos Oliveira Costa Pereira de_Jong Jansen
van_den_Berg Bakker Visser Hansen Nielsen Johansson Andersson Lindqvist Nowak Kowalski
Wiśniewski Wójcik Novák Dvořák O'Brien Murphy Kelly McCarthy Fitzgerald""")
ARABIC_FIRST = _words("""Mohammed Muhammad Ahmed Ahmad Ali Omar Umar Hassan Hussein Ibrahim Youssef
Yusuf Khalid Abdullah Abdulrahman Abdelaziz Mustafa Mahmoud Tariq Karim Samir Nabil Walid
Faisal Saeed Rashid Hamza Bilal Fatima Aisha Khadija Mariam Layla Noor Huda Zainab Amina
Salma Rania Yasmin""")
ARABIC_LAST = _words(
    """Al-Hassan Al-Rashid Al-Saud Al-Qahtani Al-Harbi Al-Zahrani Al-Shamsi
El-Sayed Abdel-Rahman Haddad Khoury Nasser Mansour Hamdan Saleh Farouk Aziz Karimi Hashemi
Rahman Hussain Qureshi Siddiqui Bakr Othman Suleiman Darwish Jaber Barakat Tahir Abbas
Kassem Zayed Obeid Al-Masri Al-Tamimi Ben_Ali Bouazizi Benali""")
CYR_MALE = _words("""Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Артём
Николай Владимир Павел Олег Юрий Игорь Виктор Роман Константин Денис Тарас Богдан
Остап""")
CYR_FEMALE = _words("""Елена Ольга Наталья Татьяна Ирина Светлана Анна Мария Екатерина Юлия Марина
Галина Людмила Оксана Виктория Дарья""")
CYR_LAST_M = _words("""Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков
Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев
Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов
Воробьёв Сергеев Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин""")
CYR_LAST_UA = _words("""Шевченко Бондаренко Коваленко Ткаченко Кравченко Олійник Мельник Шевчук
Бойко Ковальчук Поліщук Лисенко Марченко Савченко Руденко""")
CYR_ORG_FORM = ["ООО", "АО", "ПАО", "ЗАО", "ТОВ", "ИП"]
CYR_ORG_WORD = _words("""Северный Восток Запад Альфа Вектор Гранит Меридиан Импульс Прогресс Союз
Атлант Орион Созвездие Сибирь Урал Волга Балтика Техно Пром Строй Инвест Логистик Трейд
Энерго Металл Агро Нефть Газ Сервис Групп Холдинг Капитал Ресурс Транс""")
CYR_ORG_NOUN = ["Торговый дом", "Строительная компания", "Транспортная компания",
                "Инвестиционная группа", "Научно-производственное объединение", "Завод",
                "Банк", "Страховая компания", "Агрохолдинг"]
HANGUL_SURNAME = list("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주")
HANGUL_GIVEN = list("민서지현수영준호은혜철광성진우희동경태연하윤재석상훈미정주원선아나예도")
# Korean names in Latin as South Korean passports and banks write them.
KR_SURNAME_LATIN = _words("""Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon
Hwang Ahn Song Ryu Jeon Hong Ko Moon Yang Son Bae Baek Heo Yoo Nam Noh Ha""")
KR_GIVEN_LATIN = _words("""Min-jun Seo-yeon Ji-ho Ha-eun Do-yun Ji-woo Seo-jun Su-ah Ye-jun Ji-yoo
Joo-won Ha-yoon Eun-woo Seo-ah Hyun-woo Ji-min Sung-min Young-ho Jae-hyun Dong-hyun
Kyung-soo Tae-yang Hye-jin Mi-kyung Sang-hoon Jin-young Eun-ji Min-ho Seung-woo Yu-na
Byung-chul Kwang-soo Jong-min Hee-jin Soo-jin""")
# Foreign names written in Hangul, as Korean banks and employers hold them: given names
# and surnames per origin (Russian, English, Arabic, European, East/South-East Asian).
HANGUL_FOREIGN = {
    "ru": (_words("세르게이 알렉산드르 드미트리 이반 미하일 니콜라이 블라디미르 안드레이 알렉세이 "
                  "빅토르 안나 마리아 올가 나탈리야 옐레나 타티야나 이리나"),
           _words("이바노프 페트로프 스미르노프 쿠즈네초프 포포프 볼코프 파블로프 소콜로프 "
                  "레베데프 코발료프 노비코프 모로조프 오를로프 자이체프")),
    "en": (_words("존 마이클 데이비드 제임스 로버트 윌리엄 리처드 토머스 사라 엠마 제니퍼"),
           _words("스미스 존슨 윌리엄스 브라운 존스 밀러 데이비스 윌슨 앤더슨 테일러 무어 잭슨")),
    "ar": (_words("무함마드 아흐마드 오마르 유수프 이브라힘 칼리드 압둘라 하산 후세인 파티마"),
           _words("알리 하산 칼리드 이브라힘 만수르 나세르 하다드 살레 아지즈 라시드")),
    "eu": (_words("한스 피에르 마르코 호세 장 카를로스 루카 소피 클라우스 안토니오"),
           _words("뮐러 뒤부아 로시 가르시아 슈미트 마르탱 페레스 페라리 베버 로페스")),
    "as": (_words("응우옌 쩐 레 팜 다나카 스즈키 사토 왕 리우 장"),
           _words("반훙 티란 히로시 유키 켄지 웨이 양 민 하루토 메이")),
}
COMPANY_WORD = _words("""Global Pacific Atlantic Northern Eastern Union United General Standard
Premier Royal Golden Silver Blue Green Star Sun Ocean Harbour Bridge Summit Crown Apex
Delta Omega Alpha Nova Vertex Horizon Meridian Capital Continental Orient Baltic Nordic
Alpine Coastal Sahara Gulf Emerald""")
COMPANY_NOUN = _words("""Trading Shipping Logistics Holdings Industries Investments Energy Metals
Chemicals Textiles Foods Electronics Engineering Construction Pharma Marine Technologies
Resources Finance Commodities Petroleum Mining Motors Airlines Telecom""")
COMPANY_FORM = ["Ltd", "Limited", "LLC", "Inc.", "Corp.", "GmbH", "AG", "S.A.", "SAS",
                "S.p.A.", "B.V.", "N.V.", "AS", "AB", "Oy", "Sp. z o.o.", "PLC", "FZE",
                "Co., Ltd.", "Pte. Ltd.", "JSC", "LLP", "Sdn Bhd", "Trading LLC"]
KR_COMPANY = ["주식회사 {}물산", "{}무역 주식회사", "(주){}상사", "{}해운 유한회사", "{}건설(주)"]
KR_COMPANY_WORD = ["대한", "한국", "동방", "서해", "신세계", "태평양", "금성", "삼화", "동양",
                   "대성", "한빛", "새한", "우리", "미래", "한성"]
# Designated people, entities and vessels as the press and the client's own files write them.
DESIGNATED = [
    ("Козлов Сергей Михайлович", "Person"), ("KOZLOV, Sergey Mikhaylovich", "Person"),
    ("Sergei Kozlov", "Person"), ("세르게이 미하일로비치 코즐로프", "Person"),
    ("ООО «Интеллект»", "Company"), ("Intellekt LLC", "Company"),
    ("인텔렉트 유한책임회사", "Company"), ("LADY R", "Vessel"), ("레이디 알", "Vessel"),
    ("ANGARA", "Vessel"), ("Aleksandr Fyodorovich Panfilov", "Person"),
    ("Панфилов Александр Фёдорович", "Person"), ("김정은", "Person"), ("Kim Jong Un", "Person"),
    ("리병철", "Person"), ("Lee Byeong-cheol", "Person"), ("RI Pyong Chol", "Person"),
    ("Korea Kwangson Banking Corporation", "Company"), ("조선광선은행", "Company"),
    ("Vladimir Putin", "Person"), ("Путин Владимир Владимирович", "Person"),
    ("Sberbank", "Company"), ("ПАО Сбербанк", "Company"), ("Rosneft", "Company"),
    ("Виктор Вексельберг", "Person"), ("Oleg Deripaska", "Person"),
]
COUNTRIES = {
    "latin_western": ["de", "fr", "it", "es", "gb", "us", "nl", "pl", "se", "ie"],
    "arabic_latin": ["ae", "sa", "eg", "jo", "lb", "iq", "ma", "tn", "sy", "qa"],
    "cyrillic_person": ["ru", "ua", "by", "kz"],
    "cyrillic_org": ["ru", "ua", "by"],
    "hangul": ["kr", "kp"],
    "korean_latin": ["kr", "us", "kp"],
    "hangul_foreign": ["ru", "us", "vn", "cn", "jp"],
    "company": ["gb", "de", "ae", "sg", "hk", "cy", "tr", "cn", "us", "kr"],
    "designated": ["ru", "kp"],
}
SHARES = [
    ("latin_western", 24), ("arabic_latin", 10), ("cyrillic_person", 12), ("cyrillic_org", 6),
    ("hangul", 10), ("korean_latin", 10), ("hangul_foreign", 6), ("company", 18),
    ("designated", 4),
]


def _patronymic(father: str, female: bool) -> str:
    stem = father[:-1] if father.endswith(("й", "ь")) else father
    if father.endswith("й"):
        return stem + ("евна" if female else "евич")
    return stem + ("овна" if female else "ович")


def _female(surname: str) -> str:
    if surname.endswith(("ов", "ёв", "ев", "ин")):
        return surname + "а"
    return surname


def _row(segment: str, rng: random.Random) -> tuple[str, str]:
    """(name, schema) of one query of `segment`."""
    if segment == "latin_western":
        parts = [rng.choice(WESTERN_FIRST)]
        if rng.random() < 0.2:
            parts.append(rng.choice(WESTERN_FIRST))
        parts.append(rng.choice(WESTERN_LAST))
        name = " ".join(parts)
        if rng.random() < 0.3:
            name = f"{parts[-1].upper()}, {' '.join(parts[:-1])}"
        return name, rng.choice(["Person", ""])
    if segment == "arabic_latin":
        first = rng.choice(ARABIC_FIRST)
        mid = f" {rng.choice(['bin', 'ibn', 'Abu'])} {rng.choice(ARABIC_FIRST)}"
        return f"{first}{mid if rng.random() < 0.35 else ''} {rng.choice(ARABIC_LAST)}", "Person"
    if segment == "cyrillic_person":
        female = rng.random() < 0.4
        first = rng.choice(CYR_FEMALE if female else CYR_MALE)
        last = rng.choice(CYR_LAST_M + CYR_LAST_UA)
        last = _female(last) if female else last
        patr = _patronymic(rng.choice(CYR_MALE), female) if rng.random() < 0.7 else ""
        order = rng.random()
        name = f"{last} {first} {patr}" if order < 0.6 else f"{first} {patr} {last}"
        return " ".join(name.split()), "Person"
    if segment == "cyrillic_org":
        words = rng.sample(CYR_ORG_WORD, rng.choice([1, 1, 2]))
        core = "".join(words) if rng.random() < 0.4 else " ".join(words)
        if rng.random() < 0.3:
            return f"{rng.choice(CYR_ORG_FORM)} {rng.choice(CYR_ORG_NOUN)} «{core}»", "Company"
        return f"{rng.choice(CYR_ORG_FORM)} «{core}»", "Company"
    if segment == "hangul":
        if rng.random() < 0.15:
            return rng.choice(KR_COMPANY).format(rng.choice(KR_COMPANY_WORD)), "Company"
        given = "".join(rng.choice(HANGUL_GIVEN) for _ in range(rng.choice([2, 2, 2, 1])))
        sep = " " if rng.random() < 0.2 else ""
        return f"{rng.choice(HANGUL_SURNAME)}{sep}{given}", rng.choice(["Person", ""])
    if segment == "korean_latin":
        last, given = rng.choice(KR_SURNAME_LATIN), rng.choice(KR_GIVEN_LATIN)
        style = rng.random()
        if style < 0.4:
            name = f"{given} {last}"
        elif style < 0.7:
            name = f"{last.upper()} {given}"
        elif style < 0.85:
            name = f"{last} {given.replace('-', '')}"
        else:
            name = f"{last.upper()}, {given.replace('-', ' ')}"
        return name, rng.choice(["Person", ""])
    if segment == "hangul_foreign":
        first, last = HANGUL_FOREIGN[rng.choice(["ru", "ru", "en", "ar", "eu", "as"])]
        a, b = rng.choice(first), rng.choice(last)
        if last is HANGUL_FOREIGN["ru"][1] and rng.random() < 0.5:
            a += " " + rng.choice(["세르게예비치", "이바노비치", "미하일로비치", "알렉산드로비치"])
        return (f"{a} {b}" if rng.random() < 0.8 else f"{b} {a}"), "Person"
    if segment == "company":
        words = rng.sample(COMPANY_WORD, rng.choice([1, 2]))
        noun = rng.choice(COMPANY_NOUN)
        if rng.random() < 0.25:
            words = [rng.choice(WESTERN_LAST + ARABIC_LAST)]
        return f"{' '.join(words)} {noun} {rng.choice(COMPANY_FORM)}", rng.choice(
            ["Company", "Organization", ""]
        )
    name, schema = rng.choice(DESIGNATED)
    return name, schema


def main() -> None:
    rng = random.Random(SEED)
    rows: list[list[str]] = []
    plan = [seg for seg, share in SHARES for _ in range(N * share // 100)]
    rng.shuffle(plan)
    for i, segment in enumerate(plan):
        name, schema = _row(segment, rng)
        birth = country = ""
        if rng.random() < 0.25:
            country = rng.choice(COUNTRIES[segment])
            if schema in ("Person", ""):
                birth = f"{rng.randint(1940, 2004)}"
                if rng.random() < 0.7:
                    birth += f"-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append([f"m{i + 1}", segment, name, schema, birth, country, ""])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "segment", "name", "schema", "birth_date", "country", "identifier"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} queries to {OUT}")


if __name__ == "__main__":
    main()

# ruff: noqa: RUF001, RUF002 - company names in Cyrillic and Turkish are the point of this data
"""Synthetic but realistic watchlists and entry lines for the screening benchmark.

Company names follow the shapes seen in public facility lists: Chinese
"{Place} {Brand} {Trade} Co., Ltd." with the same name in characters and in
pinyin, Vietnamese "Cong Ty TNHH ...", Malaysian "... Sdn. Bhd.", Indonesian
"PT ...", Indian "... Pvt. Ltd.", Bangladeshi "... Ltd.", Turkish
"... Tekstil San. ve Tic. A.S.", Russian "ООО «...»" and German "... GmbH".

Entries carry two extra columns the engine passes through untouched:
``truth`` (``hit`` when the line was built to be a hit, else ``nohit``) and
``plant`` (how it was built: ``exact``, ``legal_form``, ``chinese``, ``typo``,
``hard_negative``, ``region``, ``background``...). Precision and recall of
``hit`` are measured against ``truth``.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

import polars as pl
from pypinyin import lazy_pinyin

# -- vocabularies ---------------------------------------------------------------------------------
BRAND_CHARS = list(
    "华孚泰恒力美金盛天宇宝瑞丰联东永凯海龙昌兴源佳祥鸿博腾飞远嘉德安润顺宏富荣耀锦绣辉星晨春秋阳峰林森志成信诚友邦汇聚鼎"
)
CN_PLACES: list[tuple[str, str, str]] = [  # (characters, English, province for addresses)
    ("上海", "Shanghai", "Shanghai"),
    ("广州", "Guangzhou", "Guangdong"),
    ("宁波", "Ningbo", "Zhejiang"),
    ("杭州", "Hangzhou", "Zhejiang"),
    ("苏州", "Suzhou", "Jiangsu"),
    ("无锡", "Wuxi", "Jiangsu"),
    ("青岛", "Qingdao", "Shandong"),
    ("厦门", "Xiamen", "Fujian"),
    ("深圳", "Shenzhen", "Guangdong"),
    ("东莞", "Dongguan", "Guangdong"),
    ("绍兴", "Shaoxing", "Zhejiang"),
    ("南通", "Nantong", "Jiangsu"),
    ("泉州", "Quanzhou", "Fujian"),
    ("温州", "Wenzhou", "Zhejiang"),
    ("佛山", "Foshan", "Guangdong"),
    ("山东", "Shandong", "Shandong"),
    ("江苏", "Jiangsu", "Jiangsu"),
    ("浙江", "Zhejiang", "Zhejiang"),
    ("福建", "Fujian", "Fujian"),
    ("天津", "Tianjin", "Tianjin"),
    ("武汉", "Wuhan", "Hubei"),
    ("成都", "Chengdu", "Sichuan"),
    ("郑州", "Zhengzhou", "Henan"),
    ("常州", "Changzhou", "Jiangsu"),
]
XJ_PLACES: list[tuple[str, str]] = [
    ("新疆", "Xinjiang"),
    ("乌鲁木齐", "Urumqi"),
    ("阿克苏", "Aksu"),
    ("喀什", "Kashgar"),
    ("石河子", "Shihezi"),
    ("昌吉", "Changji"),
    ("库尔勒", "Korla"),
    ("和田", "Hotan"),
    ("伊犁", "Yili"),
    ("吐鲁番", "Turpan"),
]
CN_TRADES: list[tuple[str, str, str]] = [  # (characters, English, pinyin)
    ("纺织", "Textile", "Fangzhi"),
    ("服装", "Garment", "Fuzhuang"),
    ("贸易", "Trading", "Maoyi"),
    ("实业", "Industrial", "Shiye"),
    ("科技", "Technology", "Keji"),
    ("棉业", "Cotton", "Mianye"),
    ("食品", "Food", "Shipin"),
    ("硅业", "Silicon", "Guiye"),
    ("光伏", "Photovoltaic", "Guangfu"),
    ("化工", "Chemical", "Huagong"),
    ("进出口", "Import & Export", "Jinchukou"),
    ("针织", "Knitting", "Zhenzhi"),
    ("电子", "Electronics", "Dianzi"),
]
CN_ROADS = [
    "Renmin",
    "Jiefang",
    "Zhongshan",
    "Jianshe",
    "Xinhua",
    "Heping",
    "Changjiang",
    "Huanghe",
    "Yingbin",
    "Gongye",
    "Kaifa",
    "Dongfeng",
    "Beijing",
    "Nanjing",
    "Wenhua",
]
CN_ROADS_ZH = [
    "人民",
    "解放",
    "中山",
    "建设",
    "新华",
    "和平",
    "长江",
    "黄河",
    "迎宾",
    "工业",
    "开发",
    "东风",
    "北京",
    "南京",
    "文化",
]

LOCALES: dict[str, dict[str, list[str]]] = {
    "VN": {
        "brand": [
            "Minh",
            "Phat",
            "Thanh",
            "Cong",
            "Hoang",
            "Long",
            "Viet",
            "Tien",
            "Dat",
            "Hung",
            "Phuc",
            "Thinh",
            "Nam",
            "Quang",
            "Tan",
            "Hai",
            "Duc",
            "Khang",
            "Loc",
            "Bao",
            "Gia",
            "Huy",
            "Kim",
            "Ngoc",
            "Phong",
            "Sang",
            "Trung",
            "Vinh",
            "Xuan",
            "Yen",
            "Anh",
            "Binh",
            "Chau",
            "Dong",
            "Hanh",
            "Lam",
        ],
        "trade": ["Garment", "Textile", "Footwear", "Seafood", "Furniture", "Knitting", "Apparel", "Trading"],
        "city": [
            "Binh Duong",
            "Dong Nai",
            "Ho Chi Minh City",
            "Hai Phong",
            "Nam Dinh",
            "Thai Binh",
            "Long An",
            "Bac Giang",
            "Hai Duong",
            "Da Nang",
        ],
    },
    "BD": {
        "brand": [
            "Rahman",
            "Karim",
            "Nasir",
            "Rupali",
            "Sonali",
            "Padma",
            "Meghna",
            "Jamuna",
            "Shapla",
            "Bashundhara",
            "Ananta",
            "Hameem",
            "Beximco",
            "Opex",
            "Fakir",
            "Tusuka",
            "Mohammadi",
            "Sterling",
            "Envoy",
            "Square",
            "Akij",
            "Pran",
            "Noman",
            "Zaber",
            "Ha-Meem",
            "Shanta",
            "Dird",
            "Viyellatex",
            "Tarasima",
            "Urmi",
        ],
        "trade": [
            "Apparels",
            "Garments",
            "Knit Composite",
            "Fashions",
            "Denim",
            "Sweaters",
            "Textiles",
            "Knitwear",
        ],
        "city": ["Gazipur", "Ashulia", "Savar", "Narayanganj", "Chittagong", "Dhaka", "Tongi", "Mirpur"],
    },
    "MY": {
        "brand": [
            "Maju",
            "Jaya",
            "Sinar",
            "Mas",
            "Harta",
            "Bumi",
            "Setia",
            "Cahaya",
            "Makmur",
            "Sentosa",
            "Gemilang",
            "Perdana",
            "Intan",
            "Mutiara",
            "Teguh",
            "Sejahtera",
            "Murni",
            "Indah",
            "Kencana",
            "Permata",
        ],
        "trade": [
            "Gloves",
            "Rubber",
            "Plantation",
            "Industries",
            "Trading",
            "Manufacturing",
            "Latex",
            "Palm Oil",
        ],
        "city": ["Klang", "Shah Alam", "Ipoh", "Johor Bahru", "Penang", "Seremban", "Kulim", "Melaka"],
    },
    "ID": {
        "brand": [
            "Sinar",
            "Mas",
            "Indah",
            "Kiat",
            "Pan",
            "Ungaran",
            "Sari",
            "Eka",
            "Karya",
            "Mitra",
            "Abadi",
            "Sentosa",
            "Makmur",
            "Jaya",
            "Prima",
            "Utama",
            "Nusantara",
            "Surya",
            "Bintang",
            "Dharma",
        ],
        "trade": ["Garments", "Textile", "Apparel", "Tekstil", "Palm", "Footwear", "Seafood", "Industri"],
        "city": ["Tangerang", "Bekasi", "Semarang", "Bandung", "Surabaya", "Jakarta Utara", "Bogor", "Solo"],
    },
    "IN": {
        "brand": [
            "Shree",
            "Ganesh",
            "Lakshmi",
            "Arvind",
            "Vardhman",
            "Raj",
            "Sai",
            "Simran",
            "Pratibha",
            "Krishna",
            "Welspun",
            "Trident",
            "Alok",
            "Bombay",
            "Rajasthan",
            "Mahalaxmi",
            "Balaji",
            "Suryalakshmi",
            "Nahar",
            "Loyal",
            "Bhilwara",
            "Indo",
            "Sutlej",
            "Nitin",
            "Ambika",
            "Siddharth",
        ],
        "trade": [
            "Exports",
            "Spinning Mills",
            "Textiles",
            "Syntex",
            "Fabrics",
            "Cotton",
            "Knits",
            "Overseas",
        ],
        "city": ["Tiruppur", "Ludhiana", "Surat", "Ahmedabad", "Coimbatore", "Bhiwadi", "Panipat", "Noida"],
    },
    "TR": {
        "brand": [
            "Yildiz",
            "Deniz",
            "Ege",
            "Anadolu",
            "Kardesler",
            "Ozdemir",
            "Aksoy",
            "Yilmaz",
            "Karadeniz",
            "Bosphorus",
            "Gunes",
            "Ay",
            "Akdeniz",
            "Toros",
            "Kartal",
            "Aslan",
            "Demir",
            "Kaya",
            "Sahin",
        ],
        "trade": ["Tekstil", "Konfeksiyon", "Orme", "Iplik", "Dokuma", "Giyim"],
        "city": ["Istanbul", "Bursa", "Denizli", "Izmir", "Gaziantep", "Kahramanmaras", "Usak", "Adana"],
    },
    "RU": {
        "brand": [
            "Ромашка",
            "Берёзка",
            "Сибирь",
            "Восток",
            "Урал",
            "Волга",
            "Заря",
            "Рассвет",
            "Алмаз",
            "Янтарь",
            "Байкал",
            "Амур",
            "Север",
            "Звезда",
            "Маяк",
            "Орион",
            "Вектор",
            "Альянс",
            "Прогресс",
            "Меридиан",
        ],
        "trade": ["Трейд", "Текстиль", "Лес", "Металл", "Снаб", "Импорт"],
        "city": ["Москва", "Новосибирск", "Екатеринбург", "Владивосток", "Иркутск", "Хабаровск"],
    },
    "DE": {
        "brand": [
            "Braun",
            "Stein",
            "Nord",
            "Adler",
            "Sonnen",
            "Berg",
            "Wald",
            "Hansa",
            "Rhein",
            "Alpen",
            "Falken",
            "Eichen",
            "Linden",
            "Kristall",
            "Silber",
            "Gold",
            "Blau",
            "Weiss",
            "Schwarz",
            "Roth",
        ],
        "trade": ["Metallwerke", "Textil", "Handel", "Maschinenbau", "Logistik", "Chemie"],
        "city": ["Hamburg", "Bremen", "Stuttgart", "Dortmund", "Leipzig", "Augsburg"],
    },
}
# Syllables for invented brand words (Vietnamese brands are one-syllable words: use two).
SYLLABLES: dict[str, list[str]] = {
    "BD": [
        "ra",
        "ma",
        "sha",
        "ni",
        "ka",
        "de",
        "vi",
        "ja",
        "pa",
        "ta",
        "su",
        "la",
        "ha",
        "ro",
        "mi",
        "na",
        "bi",
        "ru",
        "sa",
        "khan",
        "dul",
        "hor",
        "ban",
        "dar",
        "mon",
    ],
    "IN": [
        "ra",
        "ma",
        "sha",
        "ni",
        "ka",
        "dev",
        "vi",
        "ja",
        "pra",
        "ta",
        "su",
        "la",
        "han",
        "ro",
        "mi",
        "na",
        "bha",
        "ru",
        "san",
        "gan",
        "pur",
        "vard",
        "shri",
        "lak",
        "kri",
    ],
    "MY": [
        "ma",
        "ju",
        "ja",
        "ya",
        "si",
        "nar",
        "ha",
        "ta",
        "bu",
        "mi",
        "se",
        "ti",
        "ca",
        "ka",
        "in",
        "tan",
        "per",
        "da",
        "na",
        "mu",
        "ri",
        "sa",
        "lam",
        "ba",
    ],
    "ID": [
        "ma",
        "ju",
        "ja",
        "ya",
        "si",
        "nar",
        "ha",
        "ta",
        "bu",
        "mi",
        "se",
        "ti",
        "ka",
        "in",
        "tan",
        "su",
        "rya",
        "dhar",
        "an",
        "ta",
        "ra",
        "pri",
        "ut",
        "ma",
    ],
    "TR": [
        "ak",
        "kar",
        "de",
        "niz",
        "yil",
        "dız",
        "e",
        "ge",
        "an",
        "do",
        "lu",
        "öz",
        "dem",
        "ir",
        "kay",
        "a",
        "şa",
        "hin",
        "tor",
        "os",
        "gü",
        "neş",
        "ars",
        "lan",
        "kur",
        "tay",
    ],
    "RU": [
        "ро",
        "ма",
        "ка",
        "бе",
        "рёз",
        "си",
        "бир",
        "вос",
        "ток",
        "ур",
        "ал",
        "во",
        "ля",
        "за",
        "ря",
        "ал",
        "маз",
        "ян",
        "тарь",
        "бай",
        "кал",
        "ор",
        "ион",
        "век",
        "тор",
    ],
    "DE": [
        "braun",
        "stein",
        "nord",
        "ad",
        "ler",
        "son",
        "nen",
        "berg",
        "wald",
        "han",
        "sa",
        "rhein",
        "al",
        "pen",
        "fal",
        "ken",
        "eich",
        "lin",
        "den",
        "kris",
        "tall",
        "sil",
        "ber",
    ],
    "VN": [
        "minh",
        "phat",
        "thanh",
        "cong",
        "hoang",
        "long",
        "viet",
        "tien",
        "dat",
        "hung",
        "phuc",
        "thinh",
        "nam",
        "quang",
        "tan",
        "hai",
        "duc",
        "khang",
        "loc",
        "bao",
        "gia",
        "huy",
        "kim",
        "ngoc",
        "phong",
        "sang",
        "trung",
        "vinh",
        "xuan",
        "yen",
        "anh",
        "binh",
        "chau",
        "dong",
        "hanh",
        "lam",
        "hieu",
        "tuan",
        "son",
        "ha",
        "thao",
        "nhat",
        "quoc",
        "thien",
        "an",
        "tri",
        "nguyen",
        "tam",
        "hoa",
        "my",
    ],
}
LEGAL = {
    "VN": ["Co., Ltd.", "Company Limited", "Joint Stock Company", "JSC"],
    "BD": ["Ltd.", "Limited"],
    "MY": ["Sdn. Bhd.", "Sdn Bhd", "Sendirian Berhad"],
    "ID": ["PT", "PT."],
    "IN": ["Pvt. Ltd.", "Private Limited", "Ltd."],
    "TR": ["A.S.", "Ltd. Sti."],
    "RU": ["ООО", "АО"],
    "DE": ["GmbH", "AG"],
}
CN_LEGAL = ["Co., Ltd.", "Co. Ltd", "Company Limited", "Co.,Ltd.", "Limited"]
US_IMPORTERS = [
    "Imports",
    "Brands",
    "Retail",
    "Sourcing",
    "Distribution",
    "Apparel Group",
    "Home Goods",
    "Outfitters",
    "Supply",
    "Trading Corp",
    "Energy",
    "Solar",
    "Foods",
]
US_WORDS = [
    "Atlantic",
    "Pacific",
    "Summit",
    "Liberty",
    "Eagle",
    "Pioneer",
    "Frontier",
    "Harbor",
    "Keystone",
    "Redwood",
    "Granite",
    "Prairie",
    "Beacon",
    "Cardinal",
    "Evergreen",
    "Horizon",
    "Lakeside",
    "Meridian",
    "Patriot",
    "Sterling",
    "Union",
    "Valley",
    "Westfield",
    "Northstar",
    "Bluebird",
    "Canyon",
    "Delta",
    "Empire",
]
HTS: list[tuple[str, str, str]] = [  # (HTS, description, sector)
    ("6109.10.0012", "Men's cotton T-shirts", "apparel"),
    ("6110.20.2079", "Cotton pullovers", "apparel"),
    ("6204.62.4011", "Women's cotton trousers", "apparel"),
    ("6203.42.4011", "Men's cotton jeans", "apparel"),
    ("6302.21.9020", "Cotton bed sheets", "textile"),
    ("5205.12.1000", "Cotton yarn, single", "textile"),
    ("5208.52.3035", "Printed cotton fabric", "textile"),
    ("6116.10.5510", "Coated knit gloves", "gloves"),
    ("4015.19.1010", "Nitrile examination gloves", "gloves"),
    ("6402.99.3165", "Rubber sole sneakers", "footwear"),
    ("8541.43.0010", "Monocrystalline solar modules", "solar"),
    ("8541.42.0010", "Solar cells", "solar"),
    ("2804.61.0000", "Polysilicon chunks", "solar"),
    ("3818.00.0000", "Silicon wafers", "solar"),
    ("2002.90.8020", "Tomato paste in drums", "food"),
    ("2103.20.4020", "Tomato ketchup", "food"),
    ("0304.75.0000", "Frozen Alaska pollock fillets", "food"),
    ("1604.14.1091", "Canned tuna", "food"),
    ("9403.60.8081", "Wooden furniture", "other"),
    ("8471.30.0100", "Laptop computers", "electronics"),
    ("8517.13.0000", "Smartphones", "electronics"),
    ("9503.00.0073", "Plastic toys", "other"),
    ("7601.10.6000", "Unwrought aluminum", "metal"),
    ("3904.10.0000", "PVC resin", "chemical"),
    ("9405.42.8440", "LED lamps", "other"),
    ("8708.99.8180", "Auto parts", "other"),
]


@dataclass
class Company:
    id: str
    country: str
    names: dict[str, str]  # form -> spelling: "en", "zh", "pinyin", "cyrillic", "latin"
    address: str
    address_zh: str | None
    brand: str  # distinctive part, for hard negatives
    place: str
    trade: str
    xinjiang: bool = False


class Generator:
    """Deterministic generator of companies, watchlists and entries."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self._used: set[str] = set()
        self._n = 0

    # -- companies --------------------------------------------------------------------------------
    def _cn_company(
        self,
        xinjiang: bool = False,
        place: tuple[str, str, str] | None = None,
        trade: tuple[str, str, str] | None = None,
    ) -> Company:
        r = self.rng
        while True:
            brand_zh = "".join(r.sample(BRAND_CHARS, 2))
            if place is not None:
                place_zh, place_en, province = place
            elif xinjiang:
                place_zh, place_en = r.choice(XJ_PLACES)
                province = "Xinjiang"
            else:
                place_zh, place_en, province = r.choice(CN_PLACES)
            trade_zh, trade_en, trade_py = trade or r.choice(CN_TRADES)
            # Two brands with the same romanisation are the same name in English: keep one.
            key = f"{place_en}|{''.join(lazy_pinyin(brand_zh))}|{trade_en}"
            if key not in self._used:
                self._used.add(key)
                break
        brand_py = "".join(lazy_pinyin(brand_zh)).capitalize()
        legal = r.choice(CN_LEGAL)
        road_i = r.randrange(len(CN_ROADS))
        num = r.randint(1, 999)
        if xinjiang:
            city = place_en if place_en != "Xinjiang" else "Urumqi"
            address = f"No. {num} {CN_ROADS[road_i]} Road, {city}, Xinjiang"
            address_zh = (
                f"新疆{place_zh if place_zh != '新疆' else '乌鲁木齐'}市{CN_ROADS_ZH[road_i]}路{num}号"
            )
        else:
            address = f"No. {num} {CN_ROADS[road_i]} Road, {place_en}, {province}, China"
            address_zh = f"{place_zh}市{CN_ROADS_ZH[road_i]}路{num}号"
        self._n += 1
        return Company(
            id=f"C{self._n}",
            country="CN",
            names={
                "en": f"{place_en} {brand_py} {trade_en} {legal}",
                "zh": f"{place_zh}{brand_zh}{trade_zh}有限公司",
                "pinyin": f"{place_en} {brand_py} {trade_py} Youxian Gongsi",
            },
            address=address,
            address_zh=address_zh,
            brand=brand_py.lower(),
            place=place_en,
            trade=trade_en,
            xinjiang=xinjiang,
        )

    def _word(self, country: str) -> str:
        """A brand word: a common local word, or an invented one built from local syllables."""
        r = self.rng
        if r.random() < 0.3 or country not in SYLLABLES:
            return r.choice(LOCALES[country]["brand"])
        syl = SYLLABLES[country]
        if country == "VN":
            return r.choice(syl).capitalize()
        word = "".join(r.choice(syl) for _ in range(r.choice([2, 2, 3])))
        return word.capitalize()

    def _other_company(self, country: str) -> Company:
        r = self.rng
        loc = LOCALES[country]
        while True:
            n_words = r.choice([2, 3]) if country == "VN" else 2 if r.random() < 0.8 else 1
            words = [self._word(country) for _ in range(n_words)]
            if len(set(words)) < len(words):
                continue
            trade = r.choice(loc["trade"])
            city = r.choice(loc["city"])
            key = f"{country}|{' '.join(sorted(words))}|{trade}"
            if key not in self._used:
                self._used.add(key)
                break
        brand = " ".join(words)
        legal = r.choice(LEGAL[country])
        if country == "VN":
            name = r.choice([f"{brand} {trade} {legal}", f"Cong Ty TNHH {brand} {trade}"])
        elif country == "ID":
            name = f"{legal} {brand} {trade}"
        elif country == "RU":
            name = f"{legal} «{brand} {trade}»"
        elif country == "TR":
            name = f"{brand} {trade} San. ve Tic. {legal}"
        else:
            name = f"{brand} {trade} {legal}"
        address = (
            f"{r.randint(1, 300)} {r.choice(['Road', 'Street', 'Lot', 'Plot'])} {r.randint(1, 40)}, {city}"
        )
        self._n += 1
        return Company(f"C{self._n}", country, {"en": name}, address, None, brand.lower(), city, trade)

    def company(self, xinjiang: bool = False) -> Company:
        r = self.rng.random()
        if xinjiang or r < 0.5:
            return self._cn_company(xinjiang)
        country = self.rng.choice(["VN", "VN", "BD", "BD", "MY", "ID", "IN", "IN", "TR", "RU", "DE"])
        return self._other_company(country)

    def hard_negative(self, target: Company) -> Company:
        """A different company in the same place and trade: shares every common word, not the brand."""
        for _ in range(50):
            if target.country == "CN":
                place = next(((z, e, p) for z, e, p in CN_PLACES if e == target.place), None) or next(
                    (z, e, "Xinjiang") for z, e in XJ_PLACES if e == target.place
                )
                trade = next(t for t in CN_TRADES if t[1] == target.trade)
                c = self._cn_company(target.xinjiang, place=place, trade=trade)
                if _too_close(c.brand, target.brand):
                    continue
                return c
            c = self._other_company(target.country)
            if _too_close(" ".join(sorted(c.brand.split())), " ".join(sorted(target.brand.split()))) or set(
                c.brand.split()
            ) & set(target.brand.split()):
                continue
            return c
        return self._other_company("DE")

    # -- watchlist --------------------------------------------------------------------------------
    def watchlist(self, n: int) -> tuple[list[Company], pl.DataFrame]:
        r = self.rng
        companies = [self.company(xinjiang=r.random() < 0.15) for _ in range(n)]
        rows = []
        for i, c in enumerate(companies):
            lst = r.choices(["uflpa", "wro", "finding", "risk"], weights=[4, 3, 1, 2])[0]
            aliases = []
            if c.country == "CN":
                if r.random() < 0.6:
                    aliases.append(c.names["zh"])
                if r.random() < 0.2:
                    aliases.append(c.names["pinyin"])
            ids = []
            if r.random() < 0.3:
                ids.append(f"MID:{_mid(c, r)}")
            if c.country == "CN" and r.random() < 0.3:
                ids.append(
                    f"USCC:91{r.randint(100000, 999999)}MA{''.join(r.choices(string.ascii_uppercase, k=4))}"
                    f"{r.randint(10, 99)}"
                )
            rows.append(
                {
                    "id": f"W{i + 1}",
                    "name": c.names["en"],
                    "aliases": " | ".join(aliases),
                    "country": r.choice([c.country, _country_name(c.country)]),
                    "address": c.address if r.random() < 0.7 else "",
                    "identifiers": " | ".join(ids),
                    "list": lst,
                    "order_id": "" if lst == "risk" else f"{lst.upper()}-{2020 + i % 6}-{i:06d}",
                }
            )
        return companies, pl.DataFrame(rows)

    # -- entries ----------------------------------------------------------------------------------
    def entries(
        self,
        m: int,
        watch: list[Company],
        wl: pl.DataFrame,
        *,
        positive_rate: float = 0.05,
        negative_rate: float = 0.04,
        region_rate: float = 0.01,
    ) -> pl.DataFrame:
        r = self.rng
        lists = wl["list"].to_list()
        ids = wl["identifiers"].to_list()
        on_order = [i for i, lst in enumerate(lists) if lst != "risk"]
        near = _NearIndex(watch)
        population = [c for c in (self.company() for _ in range(max(200, m // 40))) if not near.close(c)]
        importers = [
            f"{r.choice(US_WORDS)} {r.choice(US_WORDS)} {r.choice(US_IMPORTERS)} "
            f"{r.choice(['LLC', 'Inc.', 'Corp.'])}"
            for _ in range(max(50, m // 400))
        ]
        shippers = [c for c in (self.company() for _ in range(max(50, m // 200))) if not near.close(c)]
        negatives = [
            self.hard_negative(watch[r.choice(on_order)]) for _ in range(max(50, int(m * negative_rate) // 4))
        ]
        negatives = [c for c in negatives if not near.close(c)]
        rows: list[dict[str, str]] = []
        entry_no = 0
        while len(rows) < m:
            entry_no += 1
            n_lines = min(r.choice([1, 1, 1, 2, 3, 4]), m - len(rows))
            importer = r.choice(importers)
            date = f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
            for line in range(1, n_lines + 1):
                x = r.random()
                truth, plant = "nohit", "background"
                shipper = r.choice(shippers)
                mid = ""
                if x < positive_rate:
                    wi = r.choice(on_order)
                    c = watch[wi]
                    plant, maker = self.variant(c)
                    truth = "hit"
                    address = c.address if r.random() < 0.5 else (c.address_zh or c.address)
                    if plant == "identifier":
                        mid_ids = [v for v in ids[wi].split(" | ") if v.startswith("MID:")]
                        if mid_ids:
                            mid = mid_ids[0][4:]
                            maker = r.choice(population).names["en"]
                        else:
                            plant = "exact"
                    country = c.country
                elif x < positive_rate + negative_rate:
                    c = r.choice(negatives)
                    maker = c.names[r.choice(list(c.names))]
                    address, country = c.address, c.country
                    plant = "hard_negative"
                    if c.xinjiang:
                        truth, plant = "hit", "hard_negative_in_xinjiang"
                elif x < positive_rate + negative_rate + region_rate:
                    c = self._cn_company(xinjiang=True)
                    maker = c.names[r.choice(["en", "zh", "pinyin"])]
                    address = r.choice([c.address, c.address_zh or c.address])
                    country, truth, plant = "CN", "hit", "region"
                else:
                    c = r.choice(population)
                    maker = c.names["en"] if r.random() < 0.85 else c.names[r.choice(list(c.names))]
                    address, country = c.address, c.country
                hts, desc, _ = r.choice(HTS)
                rows.append(
                    {
                        "entry_number": f"{entry_no:011d}",
                        "line": str(line),
                        "importer": importer,
                        "manufacturer": maker,
                        "manufacturer_address": address,
                        "shipper": shipper.names["en"],
                        "shipper_address": shipper.address,
                        "country_of_origin": country,
                        "hts": hts,
                        "description": desc,
                        "value_usd": f"{r.uniform(100, 250000):.2f}",
                        "date_of_import": date,
                        "manufacturer_id": mid,
                        "truth": truth,
                        "plant": plant,
                    }
                )
        return pl.DataFrame(rows[:m])

    def variant(self, c: Company) -> tuple[str, str]:
        """A spelling of a watchlisted company as it may appear on an entry, and its kind."""
        r = self.rng
        kinds = [
            "exact",
            "case_punct",
            "legal_form",
            "word_order",
            "abbreviation",
            "typo",
            "branch",
            "identifier",
        ]
        if c.country == "CN":
            kinds += ["chinese", "chinese", "pinyin", "pinyin_nospace", "pinyin_syllables"]
        if c.country == "RU":
            kinds += ["transliterated", "transliterated"]
        kind = r.choice(kinds)
        en = c.names["en"]
        if kind in ("exact", "identifier"):
            # "identifier": the caller swaps the name for an unrelated one and sets the MID.
            return kind, en
        if kind == "case_punct":
            return kind, r.choice(
                [en.upper(), en.lower().replace(",", "").replace(".", ""), en.replace(" ", "  ")]
            )
        if kind == "legal_form":
            base = _strip_legal(en, c.country)
            forms = CN_LEGAL if c.country == "CN" else LEGAL[c.country]
            form = r.choice(forms)
            return kind, (f"{form} {base}" if c.country in ("ID", "RU") else f"{base} {form}")
        if kind == "word_order":
            if c.country == "CN":
                return kind, f"{c.brand.capitalize()} {c.trade} ({c.place}) Co., Ltd."
            words = _strip_legal(en, c.country).split()
            r.shuffle(words)
            return kind, " ".join(words)
        if kind == "abbreviation":
            abbrev = {
                "International": "Intl",
                "Industrial": "Ind.",
                "Technology": "Tech",
                "Manufacturing": "Mfg",
                "Import & Export": "Imp. & Exp.",
                "Company Limited": "Co. Ltd",
                "Industries": "Inds",
                "Textiles": "Tex",
                "Private Limited": "Pvt Ltd",
                "Sendirian Berhad": "Sdn Bhd",
            }
            out = en
            for long, short in abbrev.items():
                out = out.replace(long, short)
            return kind, out if out != en else en.replace("Co., Ltd.", "Co Ltd")
        if kind == "typo":
            return kind, _typo(en, c.brand, r)
        if kind == "branch":
            city = r.choice(["Shanghai", "Guangzhou", "Hong Kong", "Dhaka", "Hanoi", "Export"])
            return kind, r.choice(
                [f"{en} {city} Branch", f"{en} - {city} Branch", f"{en} (Export Department)"]
            )
        if kind == "chinese":
            return kind, c.names["zh"]
        if kind == "pinyin":
            return kind, c.names["pinyin"]
        if kind == "pinyin_nospace":
            parts = c.names["pinyin"].split()
            return kind, ("".join(parts[:2]) + " " + " ".join(parts[2:])).upper()
        if kind == "pinyin_syllables":
            syl = " ".join(lazy_pinyin(c.names["zh"][: -len("有限公司")]))
            return kind, f"{syl.title()} Co Ltd"
        if kind == "transliterated":
            from rigour.text import ascii_text

            return kind, ascii_text(en)
        return "exact", en


class _NearIndex:
    """Background companies must really be different companies.

    No watchlisted brand within two edits (in any word order) in the same trade and, in China,
    the same place; otherwise the planted truth would be wrong.
    """

    def __init__(self, watch: list[Company]) -> None:
        self.by_key: dict[tuple[str, str, str], list[str]] = {}
        for w in watch:
            brands = self.by_key.setdefault(self._key(w), [])
            brands += [" ".join(sorted(w.brand.split())), w.brand, w.brand.replace(" ", "")]

    @staticmethod
    def _key(c: Company) -> tuple[str, str, str]:
        # Trades spelt differently in two languages are the same trade (Tekstil = Textile).
        trade = c.trade.lower().replace("tekstil", "textile").replace("textil", "textile").rstrip("s")
        trade = trade.replace("textilee", "textile")
        return (c.country, trade, c.place if c.country == "CN" else "")

    def close(self, c: Company) -> bool:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        # Word order does not make a different company: compare the brand words sorted.
        brands = self.by_key.get(self._key(c), [])
        if not brands:
            return False
        for mine in (" ".join(sorted(c.brand.split())), c.brand, c.brand.replace(" ", "")):
            if process.extractOne(mine, brands, scorer=Levenshtein.distance, score_cutoff=2) is not None:
                return True
        return False


def _strip_legal(name: str, country: str) -> str:
    forms = CN_LEGAL if country == "CN" else LEGAL[country]
    out = name
    for f in sorted(forms, key=len, reverse=True):
        out = out.replace(f, "")
    for pre in ("Cong Ty TNHH", "San. ve Tic."):
        out = out.replace(pre, "")
    return " ".join(out.replace("«", "").replace("»", "").split())


def _typo(name: str, brand: str, r: random.Random) -> str:
    """One keyboard-style edit in the longest word of the name."""
    words = name.split()
    idx = max(range(len(words)), key=lambda i: len(words[i]) if words[i].isalpha() else 0)
    w = words[idx]
    if len(w) < 5:
        return name
    i = r.randrange(1, len(w) - 1)
    op = r.choice(["swap", "drop", "replace", "double"])
    if op == "swap":
        w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    elif op == "drop":
        w = w[:i] + w[i + 1 :]
    elif op == "replace":
        w = w[:i] + r.choice("aeiou" if w[i] not in "aeiou" else "nrst") + w[i + 1 :]
    else:
        w = w[:i] + w[i] + w[i:]
    words[idx] = w
    return " ".join(words)


def _too_close(a: str, b: str) -> bool:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b) <= 2


def _mid(c: Company, r: random.Random) -> str:
    name = "".join(ch for ch in c.names["en"].upper() if ch.isalpha())
    return f"{c.country}{name[:6]}{r.randint(100, 9999)}{name[-3:]}"


def _country_name(code: str) -> str:
    return {
        "CN": "China",
        "VN": "Vietnam",
        "BD": "Bangladesh",
        "MY": "Malaysia",
        "ID": "Indonesia",
        "IN": "India",
        "TR": "Turkey",
        "RU": "Russia",
        "DE": "Germany",
    }[code]

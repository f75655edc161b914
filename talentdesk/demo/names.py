"""Name material for the demo data: people, companies, teams, titles and places.

This is data (Chinese and romanised names as they appear on records), not user-interface text, so
none of it goes through gettext. Passport spellings are ASCII, as in a machine-readable zone.
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------- Chinese names

#: common surnames with a weight per 10,000 people, tilted towards Guangdong (陈, 黄, 梁 ...);
#: includes surnames with special readings (单 曾 区 查 解 仇 朴 冼) and compound surnames
SURNAMES: tuple[tuple[str, int], ...] = (
    ("陈", 700), ("李", 650), ("王", 600), ("张", 600), ("刘", 480), ("黄", 420), ("杨", 300),
    ("林", 260), ("梁", 240), ("赵", 210), ("吴", 200), ("周", 190), ("徐", 150), ("孙", 145),
    ("何", 140), ("马", 120), ("朱", 120), ("胡", 110), ("郭", 110), ("罗", 105), ("高", 100),
    ("郑", 100), ("谢", 90), ("叶", 90), ("冯", 80), ("钟", 80), ("邓", 80), ("曾", 80),
    ("许", 70), ("宋", 65), ("韩", 65), ("唐", 65), ("彭", 60), ("萧", 20), ("蔡", 55),
    ("潘", 55), ("卢", 50), ("袁", 50), ("于", 50), ("董", 50), ("程", 45), ("曹", 45),
    ("田", 45), ("任", 45), ("沈", 45), ("姚", 40), ("余", 40), ("杜", 40), ("方", 40),
    ("苏", 40), ("丁", 35), ("魏", 35), ("吕", 35), ("蒋", 35), ("贾", 30), ("夏", 30),
    ("钱", 30), ("汪", 30), ("傅", 28), ("范", 28), ("廖", 28), ("邱", 28), ("严", 25),
    ("温", 25), ("莫", 22), ("区", 18), ("冼", 12), ("翟", 10), ("覃", 10), ("单", 8),
    ("查", 6), ("解", 6), ("仇", 6), ("朴", 5), ("纪", 8), ("华", 6), ("缪", 4), ("盖", 4),
    ("欧阳", 10), ("司马", 3), ("诸葛", 2), ("上官", 2), ("司徒", 6), ("东方", 2),
)  # fmt: skip

#: characters of given names, roughly by the gender they suggest
GIVEN_MALE = (
    "伟强磊军洋勇杰涛明超斌鹏辉刚峰俊浩宇翔波凯健志博文晨昊轩泽睿铭瑞建国海林东亮成飞龙鑫"
    "毅晖锋哲彬坤炜钧晟煜嘉"
)
GIVEN_FEMALE = (
    "芳娜敏静丽艳娟霞燕玲婷雪慧颖琳洁倩欣怡萍红梅莉蕾璐瑶雯晶妍佳悦诗梦晓思雨雅涵琪薇珊蓉岚婉"
)
GIVEN_NEUTRAL = "子一安宁心若可嘉文思晓宇欣清然逸"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: whole given names that are common in real life; the generator mixes them with combinations
COMMON_GIVEN_MALE = _words(
    "伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 华 飞 鑫 波 斌 宇 浩 凯 健 俊 帆 旭 宁 龙 林 建华 建国 "
    "建军 志强 志明 志伟 国强 国华 海涛 海波 晓东 晓峰 永强 文博 子轩 浩然 宇轩 俊杰 家豪 博文 "
    "明轩 天宇 思远 振华 立新 卫东 嘉伟 梓豪 一鸣 泽宇 铭泽 晨阳 昊天 宏伟 鹏飞 俊峰 文涛"
)
COMMON_GIVEN_FEMALE = _words(
    "芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 雪 慧 颖 琳 洁 倩 欣 秀英 秀兰 桂英 丽华 丽娟 晓燕 晓丽 "
    "海燕 雪梅 春梅 淑珍 玉兰 美玲 婉婷 雅婷 诗涵 欣怡 梓涵 思琪 佳怡 雨桐 紫涵 梦瑶 静怡 晓彤 "
    "嘉欣 子涵 文静 慧敏 丹丹 婷婷 佳琪 一诺 雨欣 可馨 晓雯 心怡 璐瑶 颖琳 若曦"
)

# --------------------------------------------------------------------------- HK, Macao, Taiwan

#: (surname, romanisation on the travel document): Cantonese for Hong Kong, Macanese spelling
#: for Macao, Wade-Giles for Taiwan
HK_SURNAMES: tuple[tuple[str, str], ...] = (
    ("陈", "CHAN"), ("李", "LEE"), ("张", "CHEUNG"), ("黄", "WONG"), ("王", "WONG"),
    ("梁", "LEUNG"), ("林", "LAM"), ("刘", "LAU"), ("吴", "NG"), ("何", "HO"), ("郑", "CHENG"),
    ("杨", "YEUNG"), ("周", "CHOW"), ("罗", "LAW"), ("谢", "TSE"), ("区", "AU"), ("曾", "TSANG"),
    ("冯", "FUNG"), ("邓", "TANG"), ("麦", "MAK"), ("叶", "YIP"), ("蔡", "CHOI"), ("卢", "LO"),
    ("郭", "KWOK"), ("钟", "CHUNG"), ("袁", "YUEN"), ("朱", "CHU"), ("冼", "SIN"),
)  # fmt: skip
MACAO_SURNAMES: tuple[tuple[str, str], ...] = (
    ("陈", "CHAN"), ("黄", "VONG"), ("李", "LEI"), ("梁", "LEONG"), ("何", "HO"), ("林", "LAM"),
    ("张", "CHEONG"), ("郑", "CHEANG"), ("刘", "LAO"), ("吴", "NG"), ("区", "AO"), ("周", "CHAO"),
)  # fmt: skip
TAIWAN_SURNAMES: tuple[tuple[str, str], ...] = (
    ("陈", "CHEN"), ("林", "LIN"), ("黄", "HUANG"), ("张", "CHANG"), ("李", "LI"), ("王", "WANG"),
    ("吴", "WU"), ("刘", "LIU"), ("蔡", "TSAI"), ("杨", "YANG"), ("许", "HSU"), ("郑", "CHENG"),
)  # fmt: skip


@dataclass(frozen=True)
class GivenName:
    zh: str
    latin: str
    gender: str  # M / F


def _given(entries: str) -> tuple[GivenName, ...]:
    """``"伟明:WAI MING:M 嘉欣:KA YAN:F"`` -> GivenName entries (compact to write, easy to read)."""
    out = []
    for entry in entries.split(","):
        zh, latin, gender = entry.strip().split(":")
        out.append(GivenName(zh, latin, gender))
    return tuple(out)


HK_GIVEN = _given(
    "伟明:WAI MING:M, 家豪:KA HO:M, 志强:CHI KEUNG:M, 俊杰:CHUN KIT:M, 子轩:TSZ HIN:M,"
    "国华:KWOK WAH:M, 浩然:HO YIN:M, 健雄:KIN HUNG:M, 文杰:MAN KIT:M, 家乐:KA LOK:M,"
    "永康:WING HONG:M, 嘉欣:KA YAN:F, 咏诗:WING SZE:F, 晓彤:HIU TUNG:F, 美玲:MEI LING:F,"
    "颖琳:WING LAM:F, 丽萍:LAI PING:F, 慧敏:WAI MAN:F, 诗琪:SZE KI:F, 凯琳:HOI LAM:F"
)
MACAO_GIVEN = _given(
    "伟明:VAI MENG:M, 家豪:KA HOU:M, 志强:CHI KEONG:M, 俊杰:CHON KIT:M, 国华:KUOK VA:M,"
    "嘉欣:KA IAN:F, 咏诗:WENG SI:F, 美玲:MEI LENG:F, 慧敏:WAI MAN:F, 丽萍:LAI PENG:F"
)
TAIWAN_GIVEN = _given(
    "志明:CHIH-MING:M, 家豪:CHIA-HAO:M, 俊杰:CHUN-CHIEH:M, 建宏:CHIEN-HUNG:M, 宗翰:TSUNG-HAN:M,"
    "雅婷:YA-TING:F, 怡君:YI-CHUN:F, 淑芬:SHU-FEN:F, 美玲:MEI-LING:F, 佳颖:CHIA-YING:F"
)

# --------------------------------------------------------------------------- foreign names


@dataclass(frozen=True)
class ForeignNames:
    """Names of one country: (passport spelling, Chinese rendering) pairs.

    ``eastern``: the Chinese name is family + given name (Japan, Korea, Singapore); otherwise it
    is a transliteration, given name · family name. ``family_female``: gendered family names
    (Russian), in the same order as ``family``.
    """

    male: tuple[tuple[str, str], ...]
    female: tuple[tuple[str, str], ...]
    family: tuple[tuple[str, str], ...]
    eastern: bool = False
    family_female: tuple[tuple[str, str], ...] = ()


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """``"JAMES 詹姆斯, JOHN 约翰"`` -> (("JAMES", "詹姆斯"), ("JOHN", "约翰"))."""
    out = []
    for entry in text.split(","):
        latin, _sep, zh = entry.strip().rpartition(" ")
        out.append((latin, zh))
    return tuple(out)


_US_FAMILY = (
    "SMITH 史密斯, JOHNSON 约翰逊, WILLIAMS 威廉姆斯, BROWN 布朗, JONES 琼斯, GARCIA 加西亚,"
    "MILLER 米勒, DAVIS 戴维斯, WILSON 威尔逊, ANDERSON 安德森, TAYLOR 泰勒, THOMAS 托马斯,"
    "MOORE 摩尔, MARTIN 马丁, LEE 李"
)
FOREIGN_NAMES: dict[str, ForeignNames] = {
    "USA": ForeignNames(
        male=_pairs(
            "JAMES 詹姆斯, JOHN 约翰, ROBERT 罗伯特, MICHAEL 迈克尔, DAVID 戴维, WILLIAM 威廉,"
            "RICHARD 理查德, JOSEPH 约瑟夫, DANIEL 丹尼尔, MATTHEW 马修"
        ),
        female=_pairs(
            "MARY 玛丽, JENNIFER 詹妮弗, LINDA 琳达, ELIZABETH 伊丽莎白, SUSAN 苏珊,"
            "JESSICA 杰西卡, SARAH 萨拉, EMILY 埃米莉, LAURA 劳拉, RACHEL 雷切尔"
        ),
        family=_pairs(_US_FAMILY),
    ),
    "GBR": ForeignNames(
        male=_pairs(
            "OLIVER 奥利弗, GEORGE 乔治, HARRY 哈里, JACK 杰克, CHARLES 查尔斯, THOMAS 托马斯,"
            "EDWARD 爱德华, ALEXANDER 亚历山大, HENRY 亨利, ANDREW 安德鲁"
        ),
        female=_pairs(
            "OLIVIA 奥利维娅, AMELIA 阿米莉亚, EMMA 埃玛, CHARLOTTE 夏洛特, SOPHIE 索菲,"
            "CATHERINE 凯瑟琳, HANNAH 汉娜, LUCY 露西, ALICE 爱丽丝, GRACE 格蕾丝"
        ),
        family=_pairs(
            "SMITH 史密斯, JONES 琼斯, WILLIAMS 威廉姆斯, TAYLOR 泰勒, BROWN 布朗, DAVIES 戴维斯,"
            "EVANS 埃文斯, WILSON 威尔逊, ROBERTS 罗伯茨, WALKER 沃克, WRIGHT 赖特,"
            "THOMPSON 汤普森, HUGHES 休斯"
        ),
    ),
    "DEU": ForeignNames(
        male=_pairs(
            "LUKAS 卢卡斯, JONAS 约纳斯, FELIX 费利克斯, MAXIMILIAN 马克西米利安, PAUL 保罗,"
            "STEFAN 斯特凡, THOMAS 托马斯, ANDREAS 安德烈亚斯, MICHAEL 米夏埃尔, MARKUS 马库斯"
        ),
        female=_pairs(
            "ANNA 安娜, LAURA 劳拉, JULIA 尤利娅, LENA 莱娜, SARAH 萨拉, KATHARINA 卡塔琳娜,"
            "SOPHIE 索菲, MARIE 玛丽, CLAUDIA 克劳迪娅, SABINE 扎比内"
        ),
        family=_pairs(
            "MUELLER 穆勒, SCHMIDT 施密特, SCHNEIDER 施耐德, FISCHER 菲舍尔, WEBER 韦伯,"
            "MEYER 迈尔, WAGNER 瓦格纳, BECKER 贝克尔, SCHULZ 舒尔茨, HOFFMANN 霍夫曼, KOCH 科赫,"
            "RICHTER 里希特, KLEIN 克莱因, WOLF 沃尔夫, SCHROEDER 施罗德"
        ),
    ),
    "FRA": ForeignNames(
        male=_pairs(
            "PIERRE 皮埃尔, JEAN 让, NICOLAS 尼古拉, JULIEN 朱利安, ANTOINE 安托万, LOUIS 路易,"
            "FRANCOIS 弗朗索瓦, OLIVIER 奥利维耶, PHILIPPE 菲利普, MATHIEU 马蒂厄"
        ),
        female=_pairs(
            "MARIE 玛丽, CAMILLE 卡米耶, CLAIRE 克莱尔, SOPHIE 索菲, JULIE 朱莉, CELINE 塞琳,"
            "ISABELLE 伊莎贝尔, CHLOE 克洛埃, MANON 马农, AURELIE 奥蕾莉"
        ),
        family=_pairs(
            "MARTIN 马丁, BERNARD 贝尔纳, DUBOIS 杜布瓦, THOMAS 托马, ROBERT 罗贝尔,"
            "RICHARD 里夏尔, PETIT 珀蒂, DURAND 迪朗, LEROY 勒鲁瓦, MOREAU 莫罗, LAURENT 洛朗,"
            "LEFEBVRE 勒费弗尔, MICHEL 米歇尔, GARNIER 加尼耶, FAURE 福尔"
        ),
    ),
    "JPN": ForeignNames(
        male=_pairs(
            "HIROSHI 浩, TAKESHI 武, KENJI 健二, DAISUKE 大辅, SHOTA 翔太, YUTA 裕太,"
            "KAZUKI 和树, RYO 亮, NAOKI 直树, TAKUYA 拓也"
        ),
        female=_pairs(
            "YUKI 由纪, AYAKA 彩香, MISAKI 美咲, HARUKA 遥, NANAMI 七海, YUI 结衣, SAKURA 樱,"
            "MAI 麻衣, AKIKO 明子, KEIKO 惠子"
        ),
        family=_pairs(
            "SATO 佐藤, SUZUKI 铃木, TAKAHASHI 高桥, TANAKA 田中, WATANABE 渡边, ITO 伊藤,"
            "YAMAMOTO 山本, NAKAMURA 中村, KOBAYASHI 小林, KATO 加藤, YOSHIDA 吉田, YAMADA 山田,"
            "SASAKI 佐佐木, MATSUMOTO 松本, INOUE 井上"
        ),
        eastern=True,
    ),
    "KOR": ForeignNames(
        male=_pairs(
            "MIN JUN 敏俊, SEO JUN 瑞俊, JI HOON 志勋, HYUN WOO 贤宇, DONG HYUN 东贤,"
            "SUNG MIN 成敏, JAE WON 在元, YOUNG HO 永浩, JUN HO 俊浩, SANG WOO 相宇"
        ),
        female=_pairs(
            "SEO YEON 瑞妍, JI WOO 智友, MIN JI 敏智, SOO JIN 秀珍, HYE JIN 慧珍, EUN JI 恩智,"
            "YOUNG MI 英美, JI YOUNG 智英, HA EUN 夏恩, YOO NA 裕娜"
        ),
        family=_pairs(
            "KIM 金, LEE 李, PARK 朴, CHOI 崔, JUNG 郑, KANG 姜, CHO 赵, YOON 尹, JANG 张, LIM 林,"
            "HAN 韩, OH 吴, SEO 徐, SHIN 申, KWON 权"
        ),
        eastern=True,
    ),
    "SGP": ForeignNames(
        male=_pairs(
            "WEI MING 伟明, KAH WEE 嘉伟, CHEE KEONG 志强, BOON HOCK 文福, JUN JIE 俊杰,"
            "ZHI HAO 志豪, KOK LEONG 国良, ENG HUAT 荣发, YONG SHENG 永胜, WEE KIAT 伟杰"
        ),
        female=_pairs(
            "MEI LING 美玲, HUI MIN 慧敏, SHU TING 淑婷, XIN YI 欣怡, LI TING 丽婷,"
            "PEI SHAN 佩珊, SIEW LING 秀玲, JIA HUI 佳慧, WAN TING 婉婷, YI LING 怡玲"
        ),
        family=_pairs(
            "TAN 陈, LIM 林, LEE 李, NG 黄, ONG 王, WONG 黄, GOH 吴, CHUA 蔡, KOH 许, TEO 张,"
            "ANG 洪, YEO 杨, TAY 郑, LOW 刘"
        ),
        eastern=True,
    ),
    "CAN": ForeignNames(
        male=_pairs(
            "LIAM 利亚姆, NOAH 诺亚, ETHAN 伊桑, BENJAMIN 本杰明, LUCAS 卢卡斯, RYAN 瑞安,"
            "MARC 马克, KEVIN 凯文, JUSTIN 贾斯汀, NATHAN 内森"
        ),
        female=_pairs(
            "EMMA 埃玛, OLIVIA 奥利维娅, CHARLOTTE 夏洛特, CHLOE 克洛伊, SOPHIE 索菲,"
            "EMILY 埃米莉, AVA 埃娃, MEGAN 梅根, JESSICA 杰西卡, ISABELLE 伊莎贝尔"
        ),
        family=_pairs(
            "SMITH 史密斯, BROWN 布朗, TREMBLAY 特朗布莱, MARTIN 马丁, ROY 鲁瓦, GAGNON 加尼翁,"
            "WILSON 威尔逊, JOHNSON 约翰逊, MACDONALD 麦克唐纳, TAYLOR 泰勒, CAMPBELL 坎贝尔,"
            "ANDERSON 安德森, WHITE 怀特, THOMPSON 汤普森"
        ),
    ),
    "AUS": ForeignNames(
        male=_pairs(
            "JACK 杰克, WILLIAM 威廉, OLIVER 奥利弗, LACHLAN 拉克兰, MITCHELL 米切尔,"
            "SAMUEL 塞缪尔, BEN 本, LUKE 卢克, JAMES 詹姆斯, DYLAN 迪伦"
        ),
        female=_pairs(
            "CHARLOTTE 夏洛特, OLIVIA 奥利维娅, AMELIA 阿米莉亚, ISLA 艾拉, MIA 米娅,"
            "CHLOE 克洛伊, ZOE 佐伊, GEORGIA 乔治娅, JESSICA 杰西卡, SARAH 萨拉"
        ),
        family=_pairs(
            "SMITH 史密斯, JONES 琼斯, WILLIAMS 威廉姆斯, BROWN 布朗, WILSON 威尔逊, TAYLOR 泰勒,"
            "JOHNSON 约翰逊, WHITE 怀特, MARTIN 马丁, ANDERSON 安德森, THOMPSON 汤普森,"
            "NGUYEN 阮, WALKER 沃克, HARRIS 哈里斯"
        ),
    ),
    "RUS": ForeignNames(
        male=_pairs(
            "ALEXANDER 亚历山大, DMITRY 德米特里, SERGEY 谢尔盖, ANDREY 安德烈, ALEXEY 阿列克谢,"
            "MIKHAIL 米哈伊尔, IVAN 伊万, NIKOLAI 尼古拉, PAVEL 帕维尔, VLADIMIR 弗拉基米尔"
        ),
        female=_pairs(
            "ANNA 安娜, ELENA 叶连娜, OLGA 奥尔加, NATALIA 娜塔莉娅, TATIANA 塔季扬娜,"
            "IRINA 伊琳娜, EKATERINA 叶卡捷琳娜, MARIA 玛丽亚, SVETLANA 斯韦特兰娜, YULIA 尤利娅"
        ),
        family=_pairs(
            "IVANOV 伊万诺夫, SMIRNOV 斯米尔诺夫, KUZNETSOV 库兹涅佐夫, POPOV 波波夫,"
            "VOLKOV 沃尔科夫, SOKOLOV 索科洛夫, LEBEDEV 列别捷夫, KOZLOV 科兹洛夫,"
            "NOVIKOV 诺维科夫, MOROZOV 莫罗佐夫, PETROV 彼得罗夫, ORLOV 奥尔洛夫"
        ),
        family_female=_pairs(
            "IVANOVA 伊万诺娃, SMIRNOVA 斯米尔诺娃, KUZNETSOVA 库兹涅佐娃, POPOVA 波波娃,"
            "VOLKOVA 沃尔科娃, SOKOLOVA 索科洛娃, LEBEDEVA 列别捷娃, KOZLOVA 科兹洛娃,"
            "NOVIKOVA 诺维科娃, MOROZOVA 莫罗佐娃, PETROVA 彼得罗娃, ORLOVA 奥尔洛娃"
        ),
    ),
    "ITA": ForeignNames(
        male=_pairs(
            "MARCO 马尔科, LUCA 卢卡, GIUSEPPE 朱塞佩, ALESSANDRO 亚历山德罗,"
            "FRANCESCO 弗朗切斯科, ANDREA 安德烈亚, MATTEO 马泰奥, LORENZO 洛伦佐"
        ),
        female=_pairs(
            "GIULIA 朱莉娅, FRANCESCA 弗朗切斯卡, CHIARA 基娅拉, SARA 萨拉, ELENA 埃莱娜,"
            "VALENTINA 瓦伦蒂娜, MARTINA 马丁娜, ALESSIA 亚历西娅"
        ),
        family=_pairs(
            "ROSSI 罗西, RUSSO 鲁索, FERRARI 法拉利, ESPOSITO 埃斯波西托, BIANCHI 比安基,"
            "ROMANO 罗马诺, COLOMBO 科隆博, RICCI 里奇, MARINO 马里诺, GRECO 格雷科"
        ),
    ),
    "NLD": ForeignNames(
        male=_pairs(
            "DAAN 达恩, SEM 塞姆, JESSE 耶瑟, PIETER 彼得, JAN 扬, LARS 拉斯, BRAM 布拉姆,"
            "THIJS 泰斯"
        ),
        female=_pairs(
            "EMMA 埃玛, SOPHIE 索菲, JULIA 尤利娅, ANNA 安娜, LISA 莉萨, FLEUR 弗勒尔,"
            "SANNE 桑内, ANOUK 阿努克"
        ),
        family=_pairs(
            "DE JONG 德容, JANSEN 扬森, DE VRIES 德弗里斯, VAN DEN BERG 范登堡, VAN DIJK 范戴克,"
            "BAKKER 巴克, VISSER 菲塞尔, SMIT 斯密特, MEIJER 梅耶尔, DE BOER 德布尔"
        ),
    ),
    "SWE": ForeignNames(
        male=_pairs(
            "ERIK 埃里克, LARS 拉尔斯, KARL 卡尔, ANDERS 安德斯, JOHAN 约翰, PER 佩尔,"
            "MAGNUS 马格努斯, OSKAR 奥斯卡"
        ),
        female=_pairs(
            "MARIA 玛丽亚, ANNA 安娜, EVA 埃娃, KARIN 卡琳, SARA 萨拉, INGRID 英格丽德,"
            "ELSA 埃尔莎, ASTRID 阿斯特丽德"
        ),
        family=_pairs(
            "ANDERSSON 安德松, JOHANSSON 约翰松, KARLSSON 卡尔松, NILSSON 尼尔松,"
            "ERIKSSON 埃里克松, LARSSON 拉松, OLSSON 奥尔松, PERSSON 佩尔松"
        ),
    ),
    "CHE": ForeignNames(
        male=_pairs(
            "DANIEL 丹尼尔, PETER 彼得, THOMAS 托马斯, MARTIN 马丁, CHRISTIAN 克里斯蒂安,"
            "MARCO 马尔科, LUKAS 卢卡斯, ANDREAS 安德烈亚斯"
        ),
        female=_pairs(
            "MARIA 玛丽亚, ANNA 安娜, SANDRA 桑德拉, NICOLE 妮科尔, BARBARA 芭芭拉,"
            "CLAUDIA 克劳迪娅, LAURA 劳拉, SARAH 萨拉"
        ),
        family=_pairs(
            "MUELLER 米勒, MEIER 迈耶, SCHMID 施密德, KELLER 凯勒, WEBER 韦伯, HUBER 胡贝尔,"
            "SCHNEIDER 施奈德, MEYER 迈尔, STEINER 施泰纳, FISCHER 菲舍尔"
        ),
    ),
    "ISR": ForeignNames(
        male=_pairs(
            "DAVID 大卫, YOSEF 约瑟夫, DANIEL 丹尼尔, ARIEL 阿里尔, NOAM 诺姆, ITAI 伊泰,"
            "OMER 奥默, AVI 阿维"
        ),
        female=_pairs(
            "NOA 诺亚, TAMAR 塔玛尔, MAYA 玛雅, SHIRA 希拉, YAEL 雅埃尔, MICHAL 米哈尔, ADI 阿迪,"
            "RACHEL 雷切尔"
        ),
        family=_pairs(
            "COHEN 科恩, LEVI 利维, MIZRAHI 米兹拉希, PERETZ 佩雷茨, BITON 比通, DAHAN 达汉,"
            "AVRAHAM 亚伯拉罕, FRIEDMAN 弗里德曼, KATZ 卡茨, SHAPIRO 夏皮罗"
        ),
    ),
    "IND": ForeignNames(
        male=_pairs(
            "RAHUL 拉胡尔, ARJUN 阿琼, VIKRAM 维克拉姆, AMIT 阿米特, RAJESH 拉杰什, SANJAY 桑杰,"
            "ANIL 阿尼尔, ROHAN 罗汉"
        ),
        female=_pairs(
            "PRIYA 普丽娅, ANJALI 安贾莉, DEEPA 迪帕, KAVYA 卡维娅, NEHA 内哈, POOJA 普贾,"
            "SUNITA 苏妮塔, LAKSHMI 拉克希米"
        ),
        family=_pairs(
            "SHARMA 夏尔马, PATEL 帕特尔, SINGH 辛格, KUMAR 库马尔, GUPTA 古普塔, REDDY 雷迪,"
            "IYER 艾耶尔, RAO 拉奥, NAIR 奈尔, MEHTA 梅塔"
        ),
    ),
}

#: how often each nationality occurs among foreign experts
FOREIGN_WEIGHTS: dict[str, int] = {
    "USA": 25, "GBR": 10, "DEU": 12, "FRA": 7, "JPN": 10, "KOR": 8, "SGP": 6, "CAN": 7,
    "AUS": 6, "RUS": 5, "ITA": 3, "NLD": 3, "SWE": 2, "CHE": 2, "ISR": 2, "IND": 4,
}  # fmt: skip

#: nationalities Chinese-born returnees most often hold when they are no longer Chinese citizens
OVERSEAS_CHINESE_WEIGHTS: dict[str, int] = {
    "USA": 45, "CAN": 20, "AUS": 12, "SGP": 10, "GBR": 8, "DEU": 5,
}  # fmt: skip

#: ISO 3166 numeric codes: digits 4-6 of the foreigner permanent-residence ID
ISO_NUMERIC: dict[str, str] = {
    "USA": "840", "GBR": "826", "DEU": "276", "FRA": "250", "JPN": "392", "KOR": "410",
    "SGP": "702", "CAN": "124", "AUS": "036", "RUS": "643", "ITA": "380", "NLD": "528",
    "SWE": "752", "CHE": "756", "ISR": "376", "IND": "356",
}  # fmt: skip

#: passport number shapes: ``#`` a digit, ``@`` a letter, ``*`` a letter or digit, else literal
PASSPORT_FORMATS: dict[str, str] = {
    "CHN": "E########", "USA": "5########", "GBR": "1########", "DEU": "C********",
    "FRA": "##@@#####", "JPN": "T@#######", "KOR": "M########", "SGP": "K#######@",
    "CAN": "@@######", "AUS": "PA#######", "RUS": "75#######", "ITA": "Y@#######",
    "NLD": "N@******#", "SWE": "########", "CHE": "X#######", "ISR": "########",
    "IND": "@#######",
}  # fmt: skip

#: countries and regions Chinese returnees studied in (as a clerk would note it)
STUDY_COUNTRIES = (
    ("美国", 35), ("英国", 18), ("澳大利亚", 8), ("日本", 8), ("德国", 7), ("加拿大", 6),
    ("新加坡", 5), ("法国", 4), ("中国香港", 4), ("荷兰", 2), ("韩国", 2), ("瑞典", 1),
)  # fmt: skip

# --------------------------------------------------------------------------- places and contacts

#: Guangzhou districts' resident-ID area codes (440112 Huangpu; 440116 the former Luogang)
GUANGZHOU_AREAS = (
    "440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440115",
    "440116", "440117", "440118",
)  # fmt: skip
#: the zone's own codes, used for employers' credit codes
ZONE_AREAS = ("440112", "440116")

SCIENCE_CITY_ROADS = (
    "科学大道", "开源大道", "开创大道", "科丰路", "光谱中路", "彩频路", "揽月路", "香山路",
    "神舟路", "伴河路", "瑞和路", "天丰路", "南翔一路", "南云二路", "水西路", "科汇三街",
)  # fmt: skip
RESIDENCES = (
    "科学城人才公寓", "知识城人才公寓", "萝岗人才公寓", "科学城悦府", "黄埔国际人才港公寓",
)  # fmt: skip

MOBILE_PREFIXES = (
    "138", "139", "137", "136", "135", "150", "158", "159", "186", "188", "189", "133", "177",
)  # fmt: skip
MAIL_DOMAINS = ("163.com", "126.com", "qq.com", "foxmail.com", "gmail.com", "outlook.com")

# --------------------------------------------------------------------------- employers

#: invented trade names of companies: (romanised as in the English name, Chinese)
COMPANY_CORES: tuple[tuple[str, str], ...] = _pairs(
    "Huakang 华康, Ruibo 瑞博, Zhiyuan 智源, Kangsheng 康晟, Keyuan 科元, Ruide 睿德,"
    "Borui 博瑞, Hengsheng 恒晟, Qiming 启明, Tuoxin 拓新, Yuanchuang 源创, Linghang 领航,"
    "Taihe 泰和, Anjie 安捷, Nuokang 诺康, Saiyuan 赛远, Mingde 明德, Yingke 盈科, Baihui 佰汇,"
    "Rongzhi 融智, Tianwei 天纬, Maike 麦科, Ruixin 睿信, Lanhai 蓝海, Xingchen 星辰,"
    "Yunfan 云帆, Dingxin 鼎新, Ruisi 锐思, Weina 微纳, Xinyuan 芯源, Guangyao 光耀,"
    "Jingyu 晶宇, Kaize 凯泽, Hexin 和信, Tongchuang 同创, Huizhi 汇智, Juneng 聚能,"
    "Lekang 乐康, Jianchen 健辰, Saili 赛立, Hanhai 瀚海, Bona 博纳, Haotian 昊天,"
    "Minghui 明慧, Hongtu 宏图, Jiabo 嘉博, Junnuo 君诺, Weikang 维康, Kerui 科睿, Derun 德润,"
    "Siyuan 思远, Yachuang 雅创, Beirui 贝瑞, Yuanjing 远景, Haiyu 海誉, Qinghe 青禾,"
    "Runze 润泽, Zhuoyuan 卓远, Hua'ao 华奥, Zhongying 中盈, Xinfeng 新峰, Lide 立德"
)
INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("生物科技", "Biotech"),
    ("生物医药", "Biopharmaceutical"),
    ("医药科技", "Pharmaceutical Technology"),
    ("基因科技", "Gene Technology"),
    ("医疗器械", "Medical Devices"),
    ("精准医疗科技", "Precision Medicine"),
    ("干细胞科技", "Stem Cell Technology"),
    ("诊断技术", "Diagnostics"),
    ("集成电路", "Integrated Circuit"),
    ("半导体", "Semiconductor"),
    ("微电子", "Microelectronics"),
    ("智能科技", "Intelligent Technology"),
    ("信息技术", "Information Technology"),
    ("软件", "Software"),
    ("数据科技", "Data Technology"),
    ("人工智能科技", "Artificial Intelligence"),
    ("机器人", "Robotics"),
    ("新材料", "New Materials"),
    ("纳米科技", "Nanotechnology"),
    ("新能源科技", "New Energy"),
    ("环保科技", "Environmental Technology"),
    ("检测技术", "Testing Technology"),
    ("光电科技", "Optoelectronics"),
    ("激光科技", "Laser Technology"),
    ("精密仪器", "Precision Instruments"),
    ("智能装备", "Intelligent Equipment"),
    ("氢能科技", "Hydrogen Energy"),
)
#: research institutes and laboratories among the employers (credit codes start 12: public
#: institutions registered by the establishment office)
INSTITUTES: tuple[tuple[str, str], ...] = (
    ("广州科学城生物医药创新研究院", "Guangzhou Science City Institute of Biomedical Innovation"),
    ("广州黄埔先进材料研究院", "Guangzhou Huangpu Institute of Advanced Materials"),
    ("粤港澳大湾区精准医学研究院（广州）", "GBA Institute of Precision Medicine (Guangzhou)"),
    ("广州智能制造技术研究院", "Guangzhou Institute of Intelligent Manufacturing Technology"),
    ("广州集成电路设计研究院", "Guangzhou Institute of Integrated Circuit Design"),
    ("广州新能源与储能研究院", "Guangzhou Institute of New Energy and Energy Storage"),
    ("黄埔再生医学与健康实验室", "Huangpu Laboratory of Regenerative Medicine and Health"),
    ("广州知识城纳米科技研究院", "Knowledge City Institute of Nanotechnology, Guangzhou"),
)

# --------------------------------------------------------------------------- teams and titles

TEAM_TOPICS: tuple[tuple[str, str], ...] = (
    ("新型抗肿瘤药物研发", "Novel Anti-tumour Drug Discovery"),
    ("干细胞与再生医学", "Stem Cells and Regenerative Medicine"),
    ("高端医学影像设备", "High-end Medical Imaging Equipment"),
    ("第三代半导体材料与器件", "Third-generation Semiconductor Materials and Devices"),
    ("集成电路先进封装", "Advanced Integrated Circuit Packaging"),
    ("工业机器人与智能控制", "Industrial Robots and Intelligent Control"),
    ("新型显示材料", "Novel Display Materials"),
    ("精准基因检测", "Precision Genetic Testing"),
    ("氢燃料电池关键材料", "Key Materials for Hydrogen Fuel Cells"),
    ("人工智能医学诊断", "AI Medical Diagnosis"),
    ("生物可降解高分子材料", "Biodegradable Polymer Materials"),
    ("抗体药物研发与产业化", "Antibody Drug Development and Industrialisation"),
    ("智能网联汽车感知系统", "Perception Systems for Intelligent Connected Vehicles"),
    ("纳米药物递送系统", "Nanoscale Drug Delivery Systems"),
    ("高性能锂电池材料", "High-performance Lithium Battery Materials"),
    ("新型疫苗研发", "Novel Vaccine Development"),
)

TITLE_CAS = "中国科学院院士"
TITLE_CAE = "中国工程院院士"
TITLE_STATE_COUNCIL = "享受国务院政府特殊津贴专家"
TITLE_DISTRICT = "广州开发区（黄埔区）科技人才"
TITLE_PEARL_RIVER_LEADER = "广东省“珠江人才计划”创新创业团队带头人"
TITLE_PEARL_RIVER_MEMBER = "广东省“珠江人才计划”创新创业团队核心成员"
TITLE_FOUNDER = "黄埔区“黄埔人才计划”创业人才"
RETURNEE_TITLES = (
    "广州市高层次人才",
    "广州市留学人员来穗创业启动支持计划",
    "广州开发区（黄埔区）留学人员创业资助",
    "广东省留学人员创新创业项目",
    "黄埔区“黄埔人才计划”青年后备人才",
)
FOREIGN_TITLES = ("外国高端人才（A类）", "广东友谊奖", "广州市荣誉市民")
SENIOR_TITLES = ("国家杰出青年科学基金获得者", "广东省科学技术奖一等奖", "广州市杰出专家")

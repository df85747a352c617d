"""The county teams of Changde (常德市), as in the bureau's work report, plus 临澧县 to complete the list."""

CHANGDE_TEAMS = [
    ("shibenji", "市本级"),
    ("wuling", "武陵区"),
    ("dingcheng", "鼎城区"),
    ("jinshi", "津市市"),
    ("anxiang", "安乡县"),
    ("hanshou", "汉寿县"),
    ("lixian", "澧县"),
    ("linli", "临澧县"),
    ("taoyuan", "桃源县"),
    ("shimen", "石门县"),
    ("deshan", "德山开发区"),
]

"""The controlled lists' starting entries (code, English name, Persian name, other spellings).

Loaded by a data migration; editors change them in the admin afterwards. Province spellings are
the usual English transliterations found in monitors' reports.
"""

ACT_KINDS = [
    ("execution", "Execution", "اعدام", ["executed", "hanging", "hanged"]),
    ("death-sentence", "Death sentence", "حکم اعدام", ["sentenced to death", "death-penalty sentence"]),
    ("death-in-custody", "Death in custody", "مرگ در بازداشت", ["died in custody", "custodial death"]),
    ("killing", "Killing", "کشتن", ["extrajudicial killing", "killed", "قتل فراقضایی"]),
    ("arrest", "Arrest", "بازداشت", ["arrested", "detention", "دستگیری"]),
    ("disappearance", "Enforced disappearance", "ناپدیدسازی قهری", ["disappeared", "ناپدیدشدگی"]),
]

CHARGES = [
    ("drug", "Drug-related", "مواد مخدر", ["drugs", "drug trafficking", "narcotics", "drug offences"]),
    ("murder", "Murder", "قتل", ["qisas", "qesas", "قصاص", "homicide"]),
    ("rape", "Rape", "تجاوز جنسی", ["sexual assault", "تجاوز به عنف"]),
    ("moharebeh", "Moharebeh (“enmity against God”)", "محاربه", ["mohareb", "moharebe", "enmity against god",
                                                               "waging war against god"]),
    ("baghi", "Baghi (armed rebellion)", "بغی", ["baqi", "armed rebellion"]),
    ("efsad-fel-arz", "Efsad-e fel-arz (“corruption on earth”)", "افساد فی‌الارض",
     ["efsad fel arz", "efsad-e fel-arz", "ifsad fil-arz", "corruption on earth", "efsad"]),
    ("espionage", "Espionage", "جاسوسی", ["spying"]),
    ("armed-robbery", "Armed robbery", "سرقت مسلحانه", ["robbery"]),
    ("political", "Political", "سیاسی", ["political charges"]),
    ("other", "Other", "سایر", []),
    ("unknown", "Unknown", "نامعلوم", ["not known"]),
]

PROVINCES = [
    ("alborz", "Alborz", "البرز", []),
    ("ardabil", "Ardabil", "اردبیل", ["Ardebil"]),
    ("bushehr", "Bushehr", "بوشهر", ["Boushehr", "Bushire"]),
    ("chaharmahal-bakhtiari", "Chaharmahal and Bakhtiari", "چهارمحال و بختیاری",
     ["Chahar Mahaal and Bakhtiari", "Chaharmahal-Bakhtiari", "Chaharmahal va Bakhtiari"]),
    ("east-azerbaijan", "East Azerbaijan", "آذربایجان شرقی",
     ["East Azarbaijan", "Azerbaijan-e Sharqi", "Eastern Azerbaijan", "E. Azerbaijan", "Azarbayjan-e Sharqi"]),
    ("isfahan", "Isfahan", "اصفهان", ["Esfahan"]),
    ("fars", "Fars", "فارس", ["Pars"]),
    ("gilan", "Gilan", "گیلان", ["Guilan"]),
    ("golestan", "Golestan", "گلستان", []),
    ("hamadan", "Hamadan", "همدان", ["Hamedan"]),
    ("hormozgan", "Hormozgan", "هرمزگان", ["Hormozghan"]),
    ("ilam", "Ilam", "ایلام", []),
    ("kerman", "Kerman", "کرمان", []),
    ("kermanshah", "Kermanshah", "کرمانشاه", ["Kermanshahan", "Bakhtaran"]),
    ("khuzestan", "Khuzestan", "خوزستان", ["Khuzistan", "Khouzestan", "Khozestan"]),
    ("kohgiluyeh-boyer-ahmad", "Kohgiluyeh and Boyer-Ahmad", "کهگیلویه و بویراحمد",
     ["Kohgiluyeh and Boyer Ahmad", "Kohkiluyeh and Buyer Ahmad", "Kohgiluyeh & Boyerahmad", "Kohgiluyeh"]),
    ("kurdistan", "Kurdistan", "کردستان", ["Kordestan", "Kurdestan"]),
    ("lorestan", "Lorestan", "لرستان", ["Luristan"]),
    ("markazi", "Markazi", "مرکزی", ["Central"]),
    ("mazandaran", "Mazandaran", "مازندران", ["Mazenderan"]),
    ("north-khorasan", "North Khorasan", "خراسان شمالی", ["Khorasan-e Shomali", "Northern Khorasan"]),
    ("qazvin", "Qazvin", "قزوین", ["Ghazvin"]),
    ("qom", "Qom", "قم", ["Ghom", "Qum"]),
    ("razavi-khorasan", "Razavi Khorasan", "خراسان رضوی",
     ["Khorasan Razavi", "Khorasan-e Razavi", "Khorasan-Razavi"]),
    ("semnan", "Semnan", "سمنان", []),
    ("sistan-baluchestan", "Sistan and Baluchestan", "سیستان و بلوچستان",
     ["Sistan-Baluchestan", "Sistan and Baluchistan", "Sistan-Baluchistan", "Sistan va Baluchestan", "Baluchestan"]),
    ("south-khorasan", "South Khorasan", "خراسان جنوبی", ["Khorasan-e Jonubi", "Southern Khorasan"]),
    ("tehran", "Tehran", "تهران", ["Teheran"]),
    ("west-azerbaijan", "West Azerbaijan", "آذربایجان غربی",
     ["West Azarbaijan", "Azerbaijan-e Gharbi", "Western Azerbaijan", "W. Azerbaijan", "Azarbayjan-e Gharbi"]),
    ("yazd", "Yazd", "یزد", []),
    ("zanjan", "Zanjan", "زنجان", []),
]

ETHNICITIES = [
    ("persian", "Persian", "فارس", ["Fars"]),
    ("azerbaijani", "Azerbaijani Turk", "ترک آذربایجانی", ["Azeri", "Azerbaijani", "Turk", "آذری", "ترک"]),
    ("kurdish", "Kurdish", "کرد", ["Kurd"]),
    ("baluch", "Baluch", "بلوچ", ["Baloch", "Balouch"]),
    ("arab", "Arab", "عرب", ["Ahwazi Arab"]),
    ("lur", "Lur", "لر", ["Lor"]),
    ("turkmen", "Turkmen", "ترکمن", []),
    ("gilak", "Gilak", "گیلک", []),
    ("mazandarani", "Mazandarani", "مازنی", ["Mazani"]),
    ("armenian", "Armenian", "ارمنی", []),
    ("assyrian", "Assyrian", "آشوری", []),
    ("afghan", "Afghan national", "تبعهٔ افغانستان", ["Afghan", "افغان"]),
    ("other", "Other", "سایر", []),
]

# (code, English name, Persian name, other spellings, province code)
PRISONS = [
    ("evin", "Evin Prison", "زندان اوین", ["Evin"], "tehran"),
    ("greater-tehran", "Greater Tehran Central Prison", "زندان تهران بزرگ", ["Fashafuyeh", "Fashafouyeh"], "tehran"),
    ("qarchak", "Qarchak Prison", "زندان قرچک", ["Qarchak", "Gharchak"], "tehran"),
    ("ghezel-hesar", "Ghezel Hesar Prison", "زندان قزلحصار", ["Ghezel Hesar", "Qezel Hesar", "Ghezelhesar", "قزل‌حصار"], "alborz"),
    ("rajaei-shahr", "Rajaei Shahr Prison", "زندان رجایی‌شهر", ["Gohardasht", "Rajai Shahr", "Rajaee Shahr"], "alborz"),
    ("vakilabad", "Vakilabad Prison", "زندان وکیل‌آباد", ["Vakil Abad", "Mashhad Central Prison"], "razavi-khorasan"),
    ("adelabad", "Adelabad Prison", "زندان عادل‌آباد", ["Adel Abad", "Shiraz Central Prison"], "fars"),
    ("dastgerd", "Dastgerd Prison", "زندان دستگرد", ["Isfahan Central Prison"], "isfahan"),
    ("zahedan", "Zahedan Central Prison", "زندان مرکزی زاهدان", [], "sistan-baluchestan"),
    ("urmia", "Urmia Central Prison", "زندان مرکزی ارومیه", ["Orumiyeh Central Prison"], "west-azerbaijan"),
    ("tabriz", "Tabriz Central Prison", "زندان مرکزی تبریز", [], "east-azerbaijan"),
    ("sepidar", "Sepidar Prison", "زندان سپیدار", [], "khuzestan"),
    ("sheiban", "Sheiban Prison", "زندان شیبان", ["Shiban"], "khuzestan"),
    ("lakan", "Lakan Prison", "زندان لاکان", ["Rasht Central Prison"], "gilan"),
    ("dizelabad", "Dizelabad Prison", "زندان دیزل‌آباد", ["Dizel Abad", "Kermanshah Central Prison"], "kermanshah"),
    ("qom", "Qom Central Prison", "زندان مرکزی قم", [], "qom"),
    ("kerman", "Kerman Central Prison", "زندان مرکزی کرمان", [], "kerman"),
    ("yazd", "Yazd Central Prison", "زندان مرکزی یزد", [], "yazd"),
]


def load(apps):
    """Create the entries that do not exist yet (by code); never changes an edited entry."""
    models = {
        "ActKind": ACT_KINDS, "Charge": CHARGES, "Province": PROVINCES, "Ethnicity": ETHNICITIES,
    }
    for name, rows in models.items():
        model = apps.get_model("cases", name)
        for order, (code, en, fa, aliases) in enumerate(rows):
            model.objects.get_or_create(code=code, defaults={
                "name": en, "name_fa": fa, "aliases": "\n".join(aliases), "sort_order": order})
    Province = apps.get_model("cases", "Province")
    Prison = apps.get_model("cases", "Prison")
    for order, (code, en, fa, aliases, province) in enumerate(PRISONS):
        Prison.objects.get_or_create(code=code, defaults={
            "name": en, "name_fa": fa, "aliases": "\n".join(aliases), "sort_order": order,
            "province": Province.objects.filter(code=province).first()})

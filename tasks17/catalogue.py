"""The task catalogue the portal ships, used by migration 0002: a copy of ``../shared/TASKS.md``
(the campaign's shared notes, beside the repository).

Only tasks named by a public source are shipped: the ten named by the launch report, active,
and five named by other public reports of the same campaign, inactive until the state office
switches them on. Nothing here is invented; the state office edits the rest in the admin.
Metric limits (``max_per_report``) are sanity bounds for one report, not targets.
"""

LAUNCH_REPORT = "Launch report: seed/seva-hi-sangathan-2 (Seva Hi Sangathan – Abhiyan 2, BJP Bihar)"
NDTV = "https://www.ndtv.com/india-news/bjp-plans-countrywide-service-mission-to-shake-off-covid-19-criticism-2463635"
YAHOO = "https://in.news.yahoo.com/bjp-chief-jp-nadda-launches-144947860.html"


def _metric(code, label_en, label_hi, unit_en, unit_hi, max_per_report):
    return {
        "code": code,
        "label_en": label_en,
        "label_hi": label_hi,
        "unit_en": unit_en,
        "unit_hi": unit_hi,
        "max_per_report": max_per_report,
    }


def _camp_metrics(donors_hi):
    return [
        _metric("camps", "Camps held", "आयोजित शिविर", "camps", "शिविर", 50),
        _metric("donors", "Donors", donors_hi, "people", "व्यक्ति", 2000),
        _metric("units", "Units collected", "एकत्रित यूनिट", "units", "यूनिट", 2000),
    ]


TASKS = [
    {
        "number": 1,
        "code": "corona-free-booth",
        "title_en": "My Booth – Corona-free Booth drive",
        "title_hi": "मेरा बूथ – कोरोना मुक्त बूथ अभियान",
        "description_en": "",
        "description_hi": "",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": [
            _metric("households", "Households reached", "संपर्क किए गए परिवार", "households", "परिवार", 5000),
            _metric(
                "booths_declared", "Booths declared corona-free", "कोरोना मुक्त घोषित बूथ", "booths", "बूथ", 500
            ),
        ],
    },
    {
        "number": 2,
        "code": "migrant-help",
        "title_en": "Help for migrant workers",
        "title_hi": "प्रवासी मजदूरों की सहायता",
        "description_en": "",
        "description_hi": "",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": [
            _metric("people", "Migrant workers helped", "सहायता पाए प्रवासी मजदूर", "people", "व्यक्ति", 5000),
            _metric("ration_kits", "Ration kits given", "दी गई राशन किट", "kits", "किट", 5000),
        ],
    },
    {
        "number": 3,
        "code": "masks-sanitiser",
        "title_en": "Masks and sanitiser",
        "title_hi": "मास्क-सेनेटाइजर वितरण",
        "description_en": "",
        "description_hi": "",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": [
            _metric("masks", "Masks given", "बाँटे गए मास्क", "masks", "मास्क", 100000),
            _metric("sanitiser", "Sanitiser bottles given", "बाँटी गई सेनेटाइजर बोतलें", "bottles", "बोतल", 20000),
        ],
    },
    {
        "number": 4,
        "code": "meals",
        "title_en": "Meals for infected families",
        "title_hi": "संक्रमित परिवारों के लिए भोजन",
        "description_en": "",
        "description_hi": "",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": [
            _metric("meals", "Meals served", "परोसे गए भोजन", "meals", "भोजन", 20000),
            _metric("families", "Families served", "भोजन पाए परिवार", "families", "परिवार", 5000),
        ],
    },
    {
        "number": 5,
        "code": "blood-camp",
        "title_en": "Blood donation camps",
        "title_hi": "रक्तदान शिविर",
        "description_en": "Fed by the donation-camp records.",
        "description_hi": "रक्तदान शिविर के रिकॉर्ड से भरा जाता है।",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": _camp_metrics("रक्तदाता"),
    },
    {
        "number": 6,
        "code": "plasma-camp",
        "title_en": "Plasma donation",
        "title_hi": "प्लाज्मा दान",
        "description_en": "Fed by the donation-camp records.",
        "description_hi": "दान शिविर के रिकॉर्ड से भरा जाता है।",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": _camp_metrics("प्लाज्मा दाता"),
    },
    {
        "number": 7,
        "code": "elderly-medicine",
        "title_en": "Medicines and help for the elderly and needy",
        "title_hi": "बुजुर्गों व जरूरतमंदों तक दवाई व सुविधाएं",
        "description_en": "",
        "description_hi": "",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": [
            _metric(
                "workers", "Special workers appointed", "नियुक्त विशेष कार्यकर्ता", "workers", "कार्यकर्ता", 1000
            ),
            _metric("people", "People served", "लाभान्वित लोग", "people", "व्यक्ति", 5000),
        ],
    },
    {
        "number": 8,
        "code": "helpline",
        "title_en": "24×7 helplines: beds and medicines",
        "title_hi": "24×7 हेल्पलाइन: बेड व दवाइयाँ",
        "description_en": "Fed by the helpline module itself (requests taken and resolved).",
        "description_hi": "हेल्पलाइन मॉड्यूल से ही भरा जाता है (प्राप्त व निपटाए गए अनुरोध)।",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": [
            _metric("calls", "Calls taken", "प्राप्त कॉल", "calls", "कॉल", 10000),
            _metric("beds", "Beds arranged", "उपलब्ध कराए गए बेड", "beds", "बेड", 2000),
            _metric("medicines", "Medicine requests met", "पूरी की गई दवा माँगें", "requests", "अनुरोध", 5000),
        ],
    },
    {
        "number": 9,
        "code": "health-awareness",
        "title_en": "Telling people about health-ministry services",
        "title_hi": "स्वास्थ्य मंत्रालय की सुविधाओं की जानकारी",
        "description_en": "",
        "description_hi": "",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": [
            _metric("people", "People reached", "जानकारी पाए लोग", "people", "व्यक्ति", 50000),
        ],
    },
    {
        "number": 10,
        "code": "representative-meetings",
        "title_en": "MP/MLA video conferences with worker groups",
        "title_hi": "सांसद/विधायक की कार्यकर्ता समूहों से वीडियो कॉन्फ्रेंस",
        "description_en": "Fed by the video-conference records.",
        "description_hi": "वीडियो कॉन्फ्रेंस के रिकॉर्ड से भरा जाता है।",
        "source": LAUNCH_REPORT,
        "is_active": True,
        "metrics": [
            _metric("meetings", "Meetings held", "आयोजित बैठकें", "meetings", "बैठक", 100),
            _metric(
                "participants", "Workers taking part", "भाग लेने वाले कार्यकर्ता", "workers", "कार्यकर्ता", 20000
            ),
        ],
    },
    {
        "number": None,
        "code": "vaccination-help",
        "title_en": "Helping people get vaccinated (45+ both doses; 18–44)",
        "title_hi": "टीकाकरण में सहायता",
        "description_en": "",
        "description_hi": "",
        "source": NDTV,
        "is_active": False,
        "metrics": [],
    },
    {
        "number": None,
        "code": "home-isolation-help",
        "title_en": "Volunteers for homes where the elderly need help or all are infected",
        "title_hi": "होम आइसोलेशन परिवारों की सहायता",
        "description_en": "",
        "description_hi": "",
        "source": NDTV,
        "is_active": False,
        "metrics": [],
    },
    {
        "number": None,
        "code": "hospital-food",
        "title_en": "Ration and food at hospitals for patients' relatives",
        "title_hi": "अस्पतालों में परिजनों के लिए भोजन",
        "description_en": "",
        "description_hi": "",
        "source": f"{NDTV}\n{YAHOO}",
        "is_active": False,
        "metrics": [],
    },
    {
        "number": None,
        "code": "telemedicine",
        "title_en": "Telemedicine and post-Covid help centres",
        "title_hi": "टेलीमेडिसिन व पोस्ट-कोविड सहायता केंद्र",
        "description_en": "",
        "description_hi": "",
        "source": NDTV,
        "is_active": False,
        "metrics": [],
    },
    {
        "number": None,
        "code": "insurance-claims",
        "title_en": "Help with insurance claims",
        "title_hi": "बीमा दावों में सहायता",
        "description_en": "",
        "description_hi": "",
        "source": NDTV,
        "is_active": False,
        "metrics": [],
    },
]


# The shipped tasks whose figures come from their records, never from typed reports (issue
# 11: migration 0009 marks them ``fed_by_records``; the state admin may mark others).
RECORD_FED_TASKS = ("blood-camp", "plasma-camp", "helpline", "representative-meetings", "corona-free-booth")


def ship(task_model, metric_model) -> int:
    """Create the shipped tasks with their metrics; tasks already there (by code) are left as
    the state office edited them. Takes the models so a migration can pass its historical
    ones. Returns how many tasks were created."""
    created_count = 0
    for position, entry in enumerate(TASKS, start=1):
        fields = {key: value for key, value in entry.items() if key not in ("code", "metrics")}
        task, created = task_model.objects.get_or_create(
            code=entry["code"], defaults={**fields, "position": position}
        )
        if not created:
            continue
        created_count += 1
        for metric_position, metric in enumerate(entry["metrics"], start=1):
            metric_model.objects.create(task=task, position=metric_position, **metric)
    return created_count

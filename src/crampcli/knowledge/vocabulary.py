"""The answer tokens the symptom checker knows: the vocabulary its rules are written in.

Here, beside the model, so that the validator (which must know every ``--sign`` to check that
each has a rule) and the engine share one list. Wording only: no rule lives here.
"""

from __future__ import annotations

import re

# Every answer token a question can produce, and how it reads after "you said".
LABELS: dict[str, str] = {
    "where:calf": "cramps in the calf",
    "where:foot": "cramps in the foot",
    "where:thigh": "cramps in the thigh",
    "when:night": "cramps at night or in bed",
    "when:exercise": "cramps during exercise",
    "when:after-exercise": "cramps after exercise",
    "when:rest": "cramps at rest in the day",
    "legs:one": "in one leg",
    "legs:both": "in both legs",
    "who:pregnant": "pregnant",
    "who:breastfeeding": "breastfeeding",
    "who:sport": "regular sport",
    "recent:sweating": "heavy sweating",
    "recent:heat": "heat or hot weather",
    "recent:hard-exercise": "hard or unusual exercise",
    "recent:cold": "cold legs or cold weather",
    "recent:one-position": "a long time in one position",
    "recent:new-medicine": "a new or changed medicine (e.g. a diuretic, a statin)",
    "recent:alcohol": "alcohol",
    "recent:dehydration": "not drinking enough",
    "recent:tired": "tiredness or a long day on your feet",
    "recent:vomiting-diarrhoea": "vomiting or diarrhoea",
    "recent:gave-birth": "had a baby in the last 6 weeks",
    "recent:surgery": "an operation or bed rest in the last 12 weeks",
    "recent:long-journey": "a long journey (4 hours or more sitting) in the last few weeks",
    "condition:heart": "a heart condition",
    "condition:heart-failure": "heart failure",
    "condition:diabetes": "diabetes",
    "condition:kidney": "kidney disease",
    "condition:dialysis": "kidney dialysis",
    "condition:liver": "liver disease",
    "condition:thyroid": "a thyroid problem",
    "condition:circulation": "poor circulation in the legs",
    "condition:neuropathy": "nerve damage in the feet or legs (neuropathy)",
    "condition:high-cholesterol": "high cholesterol",
    "condition:low-calcium": "low calcium in a blood test",
    "condition:ulcer": "a stomach ulcer or bleeding in the past",
    "condition:asthma": "asthma",
    "sign:swelling": "a swollen calf",
    "sign:redness": "a red calf",
    "sign:warmth": "a warm calf",
    "sign:tenderness": "a tender calf",
    "sign:numbness": "numbness",
    "sign:tingling": "tingling",
    "sign:weakness": "weakness in the leg",
    "sign:sudden": "weakness or numbness that came on suddenly",
    "sign:back-pain": "pain in the back or down the leg",
    "sign:walking-pain": "leg pain when walking that eases with rest",
    "sign:breathlessness": "breathlessness",
    "sign:chest-pain": "chest pain",
    "sign:palpitations": "a racing, pounding or fluttering heartbeat",
    "sign:wound": "a dirty wound or cut",
    "sign:toxin": "contact with a poison or toxin",
    "sign:stiff-jaw": "a stiff jaw, or spasms spreading beyond the leg",
    "sign:dark-urine": "dark (brown or red) urine",
    "sign:severe-pain": "severe muscle pain",
    "sign:confusion": "confusion",
    "sign:seizure": "a seizure (fit)",
    "sign:vomiting": "being sick (vomiting)",
    "sign:hot-skin": "hot skin",
    "sign:fever": "a high temperature (fever)",
    "sign:collapse": "fainting or collapsing",
    "sign:groin-numbness": "numbness around the groin, bottom or genitals",
    "sign:bladder-bowel-change": "new trouble controlling the bladder or bowel",
    "sign:cold-pale-leg": "a leg that has suddenly gone cold, pale and painful",
    "sign:limp": "a limp",
    "sign:twitching": "muscle twitching",
    "sign:urge-to-move": "an urge to move the legs that eases when you move",
}

TOPICS = ("where", "when", "legs", "recent", "sign", "condition")  # the multiple-choice questions

NUMBER_WORDS = {  # the numeric answers a rule can compare, e.g. ``per-week>=3`` or ``age<13``
    "age": "{v} years old ({n})",
    "lasts-min": "cramps lasting {v} minutes ({n})",
    "per-week": "cramps {v} times a week ({n})",
    "woke-per-week": "cramps waking you {v} times a week ({n})",
}
COMPARISON = re.compile(rf"^({'|'.join(NUMBER_WORDS)})(>=|<)(\d+(?:\.\d+)?)$")


def values(topic: str) -> tuple[str, ...]:
    """The answers a question accepts, e.g. ``values("where")`` -> ``("calf", "foot", "thigh")``."""
    return tuple(t.split(":", 1)[1] for t in LABELS if t.startswith(f"{topic}:"))

"""Realism checks: what a coder would notice reading a rendered chart, before coding it.

A chart is the documentation a coder interprets; it must read like the record a hospital or a
practice really produces. These checks look only at rendered text (the chart a trainee reads
and the title shown with it), never at identifiers: a folder named ``orthopaedics`` is a slug,
not chart text. Each returns plain sentences; ``content.validation`` files them with the
template's path and the variant's label.

What they catch: a credential printed twice ("MD, MD"); British spellings (the US record says
hemoglobin, edema, center); text that tells the coder how to code ("not separately billable",
"(simple closure)", "falls within the global period", facility level criteria printed on an
ED sheet); a facility name that does not fit the setting (an ED sheet from a "Clinic"); a
signer whose licence cannot bill the keyed service (E/M by an LCSW, an operative report
signed by an NP); a signature naming someone other than the header's provider; a Markdown
table left as raw pipes; sex-specific findings on a patient of the other sex; variants whose
chart text is identical (the trainee cannot tell them apart, so one key must be wrong); a
record that lacks the sections of its type (``record_sections``: an office note without
allergies, an operative report without EBL, a radiology report without its comparison); a
place-of-service code printed in the chart (box 24B is graded) or a POS the header has no
words for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from typing import Any

from trainer.core.content.chart_header import location_of
from trainer.core.content.people import (
    ANESTHESIA_CREDENTIALS,
    KNOWN_CREDENTIALS,
    NON_EM_CREDENTIALS,
    SURGEON_CREDENTIALS,
    facility_misfit,
    facility_setting,
)
from trainer.core.content.record_sections import record_problems

_CRED = "|".join(re.escape(c) for c in sorted(KNOWN_CREDENTIALS, key=len, reverse=True))
DOUBLED_CREDENTIAL = re.compile(rf"(?<![\w-])({_CRED}),\s*\1(?![\w-])")

# British spelling -> the US clinical spelling. Word stems, matched at a word start, case-
# insensitively; each one was checked not to start a US word ("haem" never does; "centre" is
# matched whole so "central" is not caught).
BRITISH_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"haem", "hem (hemoglobin, hemorrhage, hematoma)"),
    (r"\w*aemia", "-emia (anemia, ischemia, leukemia)"),
    (r"\w*aemic", "-emic (anemic, ischemic)"),
    (r"oedema", "edema"),
    (r"oesophag", "esophag"),
    (r"oestr", "estr"),
    (r"paed", "ped (pediatric)"),
    (r"orthopaed", "orthoped"),
    (r"gynaec", "gynec"),
    (r"anaesthe", "anesthe"),
    (r"foet", "fet"),
    (r"faec(?!alis|ium)", "fec"),  # Enterococcus faecalis/faecium are taxonomic names
    (r"caec", "cec"),
    (r"coeliac", "celiac"),
    (r"diarrhoea", "diarrhea"),
    (r"dyspnoea", "dyspnea"),
    (r"apnoea", "apnea"),
    (r"orthopnoea", "orthopnea"),
    (r"gonorrhoea", "gonorrhea"),
    (r"tumour", "tumor"),
    (r"colour", "color"),
    (r"behaviour", "behavior"),
    (r"labour", "labor"),
    (r"favour", "favor"),
    (r"odour", "odor"),
    (r"humour", "humor"),
    (r"centre", "center"),
    (r"fibre", "fiber"),
    (r"\w*litres?\b", "liter"),
    (r"\w*metres?\b", "meter"),  # a whole word: pemetrexed is a drug, not a metre
    (r"titre", "titer"),
    (r"manoeuvre", "maneuver"),
    (r"sulph", "sulf"),
    (r"counsell", "counsel (counseling)"),
    (r"labelled", "labeled"),
    (r"travelled", "traveled"),
    (r"modelling", "modeling"),
    (r"ageing", "aging"),
    (r"programme", "program"),
    (r"practis", "practic"),
    (r"analys(e|ed|ing)\b", "analyze"),
    (r"paralys(e|ed)\b", "paralyze"),
    (r"catalogue", "catalog"),
    (r"aluminium", "aluminum"),
    (r"dialys(e|ed)\b", "dialyze"),
    (r"grey", "gray"),
    (r"judgement", "judgment"),
    (
        r"(stabil|visual|local|mobil|steril|normal|general|real|recogn|organ|util|summar"
        r"|categor|character|hospital|immun|minim|optim|priorit|special|emphas|author"
        r"|standard|final|catheter|random|criti|apolog|itemis|sensit|desensit|traumat"
        r"|neutral|personal|epithel|vascular|revascular|computer|ion|cauter|anesthet|anaesthet|fertil)is(e|ed|es|ing|ation"
        r"|ations)\b",
        "-ize/-ization (stabilized, catheterization)",
    ),
)
_SPELLINGS = [(re.compile(rf"\b{stem}\w*", re.IGNORECASE), us) for stem, us in BRITISH_SPELLINGS]

# Text that is a coding conclusion, not documentation: the coder must reach these from the
# facts (how the wound was closed, the surgery date, the resources used), not read them.
CODING_INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    (r"\b(not )?separately (billable|billed|reportable|reported|coded)\b", "billing advice"),
    (r"\b(billed|reported|coded) separately\b", "billing advice"),
    (r"\b(bill|billed|billable|billing|unbillable|non-billable)\b", "billing advice"),
    (r"\(\s*(simple|intermediate|complex|layered) (closure|repair)\s*\)", "a repair class label"),
    (r"\bglobal (period|package|surgical package|days)\b", "the global period named"),
    (r"\blevel criteria\b", "level criteria printed on the chart"),
    (r"^\W*(Level|ED level) [1-5]\W*:", "level criteria printed on the chart"),
    (r"\bcode (as|it|the|this|only|each|both|separately|for)\b", "a coding instruction"),
    (r"\b(do not|don't|not to) code\b", "a coding instruction"),
    (r"\bcod(er|ers|ing)\b", "an instruction to the coder"),
    (r"\bcharge capture\b", "an instruction to the coder"),
    (r"\bmodifiers?\b", "a modifier named"),
    (r"\b(CPT|HCPCS|ICD-10(-CM|-PCS)?|UB-04|CMS-1500|revenue code|DRG)\b", "a code set named"),
    (r"(?-i:\b(HCC|MEAT)\b)", "risk-adjustment vocabulary"),  # MEAT in capitals: meat is food
    (r"\b(bundled|unbundl\w*|integral to the procedure)\b", "an edit named"),
    (r"\b(supports|meets) (level|a level)\b", "a level conclusion"),
)
_INSTRUCTIONS = [
    (re.compile(p, re.IGNORECASE | re.MULTILINE), why) for p, why in CODING_INSTRUCTIONS
]

# Findings only one sex can have; a patient of the other sex makes the chart a misprint.
FEMALE_ONLY = re.compile(
    r"\b(pregnan\w*|menstru\w*|menses|LMP|uterus|uterine|ovar(y|ian|ies)|cervix|cervical "
    r"(cytology|os)|gravida|postpartum|intrauterine|vagina\w*|endometri\w*)\b",
    re.IGNORECASE,
)
MALE_ONLY = re.compile(r"\b(prostat\w*|scrot\w*|testic\w*|testis|testes|penile|PSA)\b")
_SIGNED = re.compile(r"(?i)(?:electronically signed by|signed by|signed:)\s*\**\s*([^\n,*]+)")
_RAW_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE)


def _code_number(code: str) -> int | None:
    return int(code) if code.isdigit() and len(code) == 5 else None


def _body(variant: Any) -> str:
    """The chart text after the generated header table (the header is the generator's)."""
    text: str = variant.chart_markdown
    marker = "| **Payer** |"
    at = text.find(marker)
    return text[text.find("\n", at) + 1 :] if at >= 0 else text


def doubled_credentials(text: str) -> list[str]:
    return [
        f"prints the credential twice ({m.group(0)!r})" for m in DOUBLED_CREDENTIAL.finditer(text)
    ]


def british_spellings(text: str) -> list[str]:
    found = []
    for pattern, us in _SPELLINGS:
        for match in dict.fromkeys(m.group(0) for m in pattern.finditer(text)):
            found.append(f"non-US spelling {match!r} (US: {us})")
    return found


def coding_instructions(text: str) -> list[str]:
    found = []
    for pattern, why in _INSTRUCTIONS:
        for match in dict.fromkeys(m.group(0).strip() for m in pattern.finditer(text)):
            found.append(f"tells the coder how to code ({why}): {match!r}")
    return found


def raw_table_rows(html: str) -> list[str]:
    """Table rows the Markdown renderer left as text (a table needs a blank line before it,
    a header row and a |---| separator)."""
    outside = re.sub(r"<table.*?</table>", "", html, flags=re.DOTALL)
    text = unescape(re.sub(r"<[^>]+>", "", outside))
    return [
        f"a Markdown table did not render (raw pipes: {row.strip()[:60]!r})"
        for row in _RAW_TABLE_ROW.findall(text)
    ]


def signer_misfit(credential: str, codes: Iterable[str], chart_type: str) -> list[str]:
    """A rendering provider whose licence cannot bill the keyed service."""
    found = []
    numbers = [n for n in (_code_number(c) for c in codes) if n is not None]
    if credential in NON_EM_CREDENTIALS and any(99202 <= n <= 99499 for n in numbers):
        found.append(f"an E/M service is keyed for a visit signed by a {credential}")
    if credential in NON_EM_CREDENTIALS and 90792 in numbers:
        found.append(f"90792 needs medical services a {credential} cannot provide")
    if any(100 <= n <= 1999 for n in numbers) and credential not in ANESTHESIA_CREDENTIALS:
        found.append(f"anesthesia is keyed for a {credential} (MD, DO, CRNA or CAA)")
    if "operative" in chart_type.lower() and credential not in SURGEON_CREDENTIALS:
        found.append(f"an operative report is signed by a {credential} (a surgeon signs it)")
    return found


def signature_misfit(body: str, provider_name: str) -> list[str]:
    found = [
        f"the chart is signed by {m.group(1).strip()!r}, not the header's provider"
        for m in _SIGNED.finditer(body)
        if not m.group(1).strip().startswith(provider_name)
    ]
    if provider_name not in body:
        found.append("the chart body never names the header's provider (no signature)")
    return found


def sex_misfit(text: str, sex: str) -> list[str]:
    if sex == "M" and (match := FEMALE_ONLY.search(text)):
        return [f"a male patient's chart documents {match.group(0)!r}"]
    if sex == "F" and (match := MALE_ONLY.search(text)):
        return [f"a female patient's chart documents {match.group(0)!r}"]
    return []


def place_of_service_shown(text: str, place_of_service: str) -> list[str]:
    """Box 24B is graded: the chart says where in words ("Emergency department"), never the
    code, and every POS a template uses has those words (``chart_header.LOCATIONS``)."""
    pos = place_of_service.strip()
    if not pos:
        return []
    found = []
    if not location_of(pos):
        found.append(f"the header cannot say where: POS {pos} has no location words")
    named = re.compile(
        rf"(?:place of service|\bPOS)\b[^\n]{{0,24}}?(?<!\d){re.escape(pos)}(?!\d)", re.I
    )
    if named.search(text):
        found.append(f"the chart prints the place-of-service code {pos} (box 24B is graded)")
    return found


def chart_problems(template: Any, variant: Any) -> list[str]:
    """Everything a coder would find wrong with one rendered variant (an empty list: none)."""
    body = _body(variant)
    provider_name, _, credential = variant.provider.rpartition(", ")
    codes = [d.code for d in variant.key.diagnoses] + [k.line.code for k in variant.key.lines]
    where = facility_setting(template.setting, variant.place_of_service)
    problems = doubled_credentials(variant.chart_markdown)
    problems += british_spellings(body) + british_spellings(template.title)
    names = (variant.patient.first_name, variant.patient.last_name, *provider_name.split())
    problems += coding_instructions(re.sub("|".join(map(re.escape, names)), "NAME", body))
    problems += raw_table_rows(variant.chart_html)
    problems += signer_misfit(credential, codes, template.chart_type)
    problems += signature_misfit(body, provider_name)
    problems += sex_misfit(body, variant.patient.sex)
    problems += record_problems(template.chart_type, body)
    problems += place_of_service_shown(variant.chart_markdown, variant.place_of_service)
    misfit = facility_misfit(variant.facility, where)
    if misfit:
        problems.append(misfit)
    return problems


def identical_charts(rendered: Iterable[tuple[str, str]]) -> list[str]:
    """Variants (label, chart text from the same seed) whose charts read the same: their keys
    differ, so at least one is keyed on something the chart does not say."""
    seen: dict[str, str] = {}
    found = []
    for label, chart in rendered:
        if chart in seen:
            found.append(
                f"variants [{seen[chart]}] and [{label}] render the same chart text: "
                "the chart must document what changes the key"
            )
        else:
            seen[chart] = label
    return found

"""Who issued a report, for which year, when, under which template, and whether it is a 年报."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .errors import NotAReport

# Disclosure reports began with the 2008 regulations; the bounds only reject nonsense years.
_FIRST_YEAR, _LAST_YEAR = 2000, 2100
_CITED = re.compile(r"《[^《》]{0,80}》")
_YEAR = r"(?P<year>(?:19|20)\d{2})"
TITLE = re.compile(
    rf"(?P<subject>[^\n《》|:。,;、]{{0,40}}?){_YEAR}\s*年\s*度?(?:的)?(?:政府|政务)?(?:信息)?公开(?:工作)?"
    r"(?:年度)?(?:工作)?(?:报告|年报)"
)
_PERIOD = re.compile(rf"(?:统计|期限|时限|时间|期间)[^。\n]{{0,12}}?{_YEAR}\s*年\s*1\s*月\s*1\s*日")
_PERIOD_ALT = re.compile(rf"{_YEAR}\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|-)")
_DATE_LABELLED = re.compile(
    r"(?:发布|发文|成文|生成|印发)(?:时间|日期)\s*[:]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_STAMP = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2})?(?:\s|$)", re.M)
_DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})年([\d一二三四五六七八九十]{1,3})月"
                        r"([\d一二三四五六七八九十]{1,3})日\s*$", re.M)
_CN_DIGIT = dict(zip("〇零一二三四五六七八九", "00123456789", strict=True))
_ISSUER_SUFFIX = (r"(?:人民政府办公室|人民政府办公厅|政府办公室|人民政府|办公室|办公厅|管理委员会|管委会"
                  r"|委员会|总局|局|厅|委|办|署|院|中心|研究室|室|站|所)")
_ISSUER = re.compile(rf"由([\u4e00-\u9fff]{{2,30}}?{_ISSUER_SUFFIX})(?:根据|综合|汇总|结合|负责|编制|编写)")
_ISSUER_LABEL = re.compile(
    rf"(?:发布机构|来源|发布单位)\s*[:|]\s*([\u4e00-\u9fff]{{2,30}}?{_ISSUER_SUFFIX})")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|厅|办|署|中心|研究室|室|站|所|院|队|馆)$")
_GOVERNMENT = re.compile(r"(?:人民政府|政府)(?:办公室|办公厅)?$|管委会$|管理委员会$")
# A State Council body as a report names itself: 水利部, 国家林业和草原局, 海关总署, 中国地震局.
_NATIONAL_NAME = (r"(?:国务院[\u4e00-\u9fff]{2,10}?(?:办公厅|室)"
                  r"|国家[\u4e00-\u9fff]{2,12}?(?:局|署|委员会|委)|中国[\u4e00-\u9fff]{2,6}?(?:局|会)|[\u4e00-\u9fff]{2,6}?(?:部|总署|总局))")
_NATIONAL_BODY = re.compile(rf"\s*({_NATIONAL_NAME})")
# …the body as the subject of a sentence: 2009年,水利部主动公开… / 国家新闻出版署坚持…
_NATIONAL_SUBJECT = re.compile(
    rf"(?:^|[,。\n]|\d{{4}}年,?)\s*({_NATIONAL_NAME})(?=坚持|认真|主动公开|按照|根据|依据|编制|全面|进一步"
    r"|深入|共|积极|不断|围绕|严格|持续|高度|通过|始终)")
_LOCAL_WORDS = re.compile(r"[省市县区州旗盟镇乡]|全部|内部|各部|本部|局部|宣传部|组织部|统战部")
_TEMPLATE_2021 = re.compile(
    r"本年制发件数|本年废止件数|现行有效件数|逾期不补正|逾期未按收费|本年处理决定数量")
_TEMPLATE_2019 = re.compile(r"本年新制作数量|上一年项目数量|勾稽|本年新收|未经复议直接起诉")
_MIN_HANZI = 50
_SECTIONS = ("主动公开", "依申请", "申请", "行政复议", "行政诉讼", "收费", "存在的", "问题", "公开目录")
_NEWS = re.compile(r"记者|通讯员|本报讯|新华社|编辑:|责任编辑")
_REPORT_VOICE = re.compile(r"本(?:年度)?报告|年报|统计期限|年度报告")
# A report's own words: its name, the tables' markers, or a numbered section heading of the
# templates (an excerpt may begin at 二、主动公开政府信息情况).
_REPORT_NAME = re.compile(r"(?:信息|政务)公开[^。\n]{0,12}(?:报告|年报)|第二十条|勾稽"
                          r"|主动公开(?:政府)?信息\d+条"
                          r"|[一二三四五六][、.]\s*(?:主动公开(?:政府)?信息|收到和处理政府信息公开申请|依申请公开"
                          r"|(?:因)?政府信息公开(?:申请)?(?:的)?(?:行政复议|收费))")


@dataclass
class Title:
    """The report's self-description: its subject (issuer/region words) and covered year."""

    subject: str
    year: int | None


def _clean_subject(subject: str) -> str:
    subject = re.sub(r"^.*(?:公布|关于|名称|中文名|标题|现将|编制了|编制|由|根据)", "", subject)
    subject = re.sub(r"(?:编制的|编制|制定的|的)$", "", subject)
    if subject.startswith(("我", "本")):
        return ""  # 我局/本机关: the body is not named here
    return re.sub(r"[^\u4e00-\u9fff()]", "", subject).strip("()")


def without_citations(text: str) -> str:
    """The text with cited documents (《…》) blanked, so their years are not the report's."""
    return _CITED.sub(" ", text)


def period_match(text: str) -> re.Match | None:
    """The statistical period's start, when stated as a range (2024年1月1日至…): a lone
    发布时间:2024年1月1日 is a date, not a period."""
    return _PERIOD_ALT.search(text)


def find_title(text: str) -> Title:
    """The first title-like phrase outside cited documents, e.g. 保定市2018年政府信息公开工作年度报告."""
    match = TITLE.search(without_citations(text[:20000]))
    if match:
        return Title(_clean_subject(match["subject"]), int(match["year"]))
    return Title("", None)


def _plausible(year: int | None) -> int | None:
    """The year if a report could cover it, else None (a cited 1990s law is no report year)."""
    return year if year is not None and _FIRST_YEAR <= year <= _LAST_YEAR else None


def report_year(text: str, title: Title) -> int | None:
    """The year the report covers: title, else statistical period, else the dominant year."""
    if _plausible(title.year):
        return title.year
    for pattern in (_PERIOD, _PERIOD_ALT, TITLE):
        match = pattern.search(text)
        if match and _plausible(int(match["year"])):
            return int(match["year"])
    years = Counter(int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)", text)
                    if _plausible(int(y)))
    return years.most_common(1)[0][0] if years else None


def _to_int(value: str) -> int:
    if value.isdigit():
        return int(value)
    if all(ch in _CN_DIGIT for ch in value):
        return int("".join(_CN_DIGIT[ch] for ch in value))
    import cn2an

    return int(cn2an.cn2an(value, "smart"))


def date_candidates(text: str) -> list[tuple[tuple[int, int, int], str]]:
    """Dates that may be the publication date, most telling first: (y, m, d) and the text read.

    Labelled dates (发布时间), a timestamp near the top, then dates standing alone on a line
    (the signature at the end first); a 星期 page widget is never one.
    """
    matches = list(_DATE_LABELLED.finditer(text))
    matches += list(_DATE_STAMP.finditer(text[:3000]))
    matches += list(reversed(list(_DATE_LINE.finditer(text))))
    dates = []
    for match in matches:
        try:
            date = tuple(_to_int(part) for part in match.groups())
        except (ValueError, KeyError, TypeError):
            continue
        if 1 <= date[1] <= 12 and 1 <= date[2] <= 31:
            dates.append((date, match.group().strip()))
    return dates


def publication_date(text: str, year: int | None) -> str | None:
    """ISO date the report was published, ignoring page-widget dates before the covered year."""
    for (y, m, d), _ in date_candidates(text):
        if year is None or year <= y <= year + 2:
            return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def issuer(text: str, subject: str) -> str | None:
    """The issuing body: the subject of the title, else who the text says compiled it."""
    if subject and re.search(_ISSUER_SUFFIX + "$", subject):
        return subject
    for pattern in (_ISSUER, _ISSUER_LABEL):
        match = pattern.search(text[:5000])
        if match:
            return match.group(1)
    return subject or None


def national_body(text: str, subject: str) -> str | None:
    """The State Council body a report is by, when its title or its sentences name one."""
    match = _NATIONAL_BODY.fullmatch(subject.split("(")[0]) if subject else None
    if match is None:
        match = _NATIONAL_SUBJECT.search(without_citations(text[:2000]))
    if match is None or _LOCAL_WORDS.search(match.group(1)):
        return None
    return match.group(1)


def level(issuer_name: str | None, division_level: str | None) -> str | None:
    """national/province/city/county/district/township/department from issuer and division."""
    name = issuer_name or ""
    if name and _NATIONAL_BODY.fullmatch(name) and not _LOCAL_WORDS.search(name) and not division_level:
        return "national"
    if re.search(r"(?:乡|镇|街道)(?:人民政府|政府|办事处)?(?:办公室)?$", name):
        return "township"
    if name and _DEPARTMENT.search(name) and not _GOVERNMENT.search(name):
        return "department"
    return division_level


def template(text: str, year: int | None) -> str:
    """Which national format the report follows, judged by its table wording, else its year."""
    if _TEMPLATE_2021.search(text):
        return "table-2021"
    if _TEMPLATE_2019.search(text):
        return "table-2019"
    if year and year >= 2021:
        return "table-2021"
    return "table-2019" if year and year >= 2019 else "narrative-2008"


def check_is_report(text: str) -> None:
    """Raise NotAReport unless the text reads like a disclosure annual report."""
    hanzi = len(re.findall(r"[\u4e00-\u9fff]", text))
    if hanzi < _MIN_HANZI:
        # The count says how short it is: a two-line report is Chinese, just too little of it.
        raise NotAReport(f"it has only {hanzi} Chinese characters, too few for a 政府信息公开 "
                         f"annual report (at least {_MIN_HANZI})")
    if not re.search(r"(?:信息|政务)公开", text):
        raise NotAReport("it never mentions government information disclosure (信息公开/政务公开)")
    if _NEWS.search(text[:3000]) and not _REPORT_VOICE.search(text[:3000]):
        raise NotAReport("it reads like a news article about disclosure, not the report itself")
    sections = sum(1 for word in _SECTIONS if word in text)
    if sections < 3 and not _REPORT_NAME.search(text):
        raise NotAReport("it mentions disclosure but neither calls itself a 年度报告 nor has a "
                         "年报's sections (主动公开, 依申请公开, 行政复议/诉讼, 收费, 存在的问题)")

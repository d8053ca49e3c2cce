"""Synthetic makerspace (众创空间) populations for tests, benchmarks and demos.

Every space is a validated `Facts` model whose figures straddle the policy thresholds (area
1000 m², the 90% ratio, lease terms of 36/24 months, 12 months of operation, 24 months of
incubation, 10 activities a year…), so a population gives a mix of pass, fail and
missing-data outcomes. The distributions and why they sit where they do are documented in
`docs/synthetic-data.md`; keep the two in step.

Determinism: one `random.Random(seed)` draws a 64-bit seed per space, so the first n spaces of
a population do not depend on how many are generated, and the global `random` is never used.
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from random import Random
from typing import Any, Generic, TypeVar

from zhongchuang.engine.dates import add_months
from zhongchuang.facts.models import Facts
from zhongchuang.facts.tables import SCHEMAS, flatten
from zhongchuang.identifiers import ALPHABET, make_uscc

T = TypeVar("T")
Row = dict[str, Any]

REFERENCE_DATE = date(2025, 3, 21)  # Xiamen 2025 application deadline (DOMAIN.md §7.1 R)

# Mean sizes of one space; each count is minimum + Poisson(Gamma(shape, ·)) so the mean is exact
# and the spread is wide (a low shape gives more small and more large spaces).
MEAN_INCUBATEES = 30
MEAN_ACTIVITIES = 15
MEAN_STAFF = 5
MEAN_MENTORS = 8

SHANGHAI_SHARE = 0.25  # the rest is registered in Xiamen
ONE_DAY = timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Random helpers


class Choice(Generic[T]):
    """A weighted choice with cumulative weights computed once (rng.choices recomputes them)."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.values: tuple[T, ...] = tuple(weights)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)
        self.total = total

    def draw(self, rng: Random) -> T:
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


def poisson(rng: Random, mean: float) -> int:
    """Knuth's method; a normal approximation above 60 where the product would take too long."""
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def spread_count(rng: Random, mean: float, shape: float, minimum: int = 0, scale: float = 1.0) -> int:
    """minimum + Poisson(λ), λ ~ Gamma(shape, scale·(mean − minimum)/shape): a negative binomial.

    Over spaces whose `scale` averages 1 the mean stays `mean`.
    """
    rate = rng.gammavariate(shape, scale * (mean - minimum) / shape)
    return minimum + poisson(rng, rate)


def uniform_int(rng: Random, low: int, high: int) -> int:
    """An integer in [low, high]; rng.randint is several times slower and this runs ~10⁷ times."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: Random, options: Sequence[T]) -> T:
    return options[int(rng.random() * len(options))]


def day_between(rng: Random, first: date, last: date) -> date:
    """A uniform day in [first, last]; `first` when the range is empty."""
    span = (last - first).days
    return first if span <= 0 else first + timedelta(days=uniform_int(rng, 0, span))


def recent_day_between(rng: Random, first: date, last: date) -> date:
    """A day in [first, last], denser towards `last` (triangular, mode at `last`)."""
    span = (last - first).days
    return first if span <= 0 else last - timedelta(days=int(rng.triangular(0, span + 1, 0)))


def months_ago(rng: Random, reference: date, low: float, high: float) -> date:
    """A day between `high` and `low` months before the reference (30.44-day months)."""
    return reference - timedelta(days=round(rng.uniform(low, high) * 30.44))


def yuan(value: float) -> Decimal:
    """Money or area with two decimals, exact (no binary fraction leaks into the Decimal)."""
    return Decimal(round(value * 100)).scaleb(-2)


def month_keys(first: date, last: date) -> list[str]:
    keys = []
    index, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    while index <= end:
        year, month = divmod(index, 12)
        keys.append(f"{year:04d}-{month + 1:02d}")
        index += 1
    return keys


TRIGRAMS = tuple(a + b + c for a in ALPHABET for b in ALPHABET for c in ALPHABET)


def random_code(rng: Random) -> str:
    """Nine random USCC characters, three at a time (a third of the draws of one at a time)."""
    return pick(rng, TRIGRAMS) + pick(rng, TRIGRAMS) + pick(rng, TRIGRAMS)


# ---------------------------------------------------------------------------------------------
# Vocabulary


@dataclass(frozen=True)
class Region:
    city: str
    short: str  # as used in names: 厦门 / 上海
    districts: tuple[tuple[str, str], ...]  # (district, GB/T 2260 code used in the USCC)
    roads: tuple[str, ...]


XIAMEN = Region(
    "厦门市",
    "厦门",
    (
        ("思明区", "350203"),
        ("海沧区", "350205"),
        ("湖里区", "350206"),
        ("集美区", "350211"),
        ("同安区", "350212"),
        ("翔安区", "350213"),
    ),
    ("软件园二期观日路", "湖里大道", "嘉禾路", "集美大道", "海沧大道", "环岛东路", "翔安南路"),
)
SHANGHAI = Region(
    "上海市",
    "上海",
    (
        ("黄浦区", "310101"),
        ("徐汇区", "310104"),
        ("长宁区", "310105"),
        ("静安区", "310106"),
        ("杨浦区", "310110"),
        ("闵行区", "310112"),
        ("嘉定区", "310114"),
        ("浦东新区", "310115"),
    ),
    ("张江路", "漕河泾开发区宜山路", "国定路", "虹桥路", "江场路", "嘉定新城胜辛路", "世纪大道"),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁沈"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍玲燕彬鹏辉斌宇浩凯健俊帆旭宁琳晨欣悦婷雪"
NAME_WORDS = (
    "智能",
    "数联",
    "云图",
    "芯微",
    "海创",
    "星火",
    "鹭岛",
    "蓝海",
    "微光",
    "极客",
    "知行",
    "青藤",
    "启明",
    "未来",
    "博远",
    "瑞德",
    "恒信",
    "深蓝",
    "易达",
    "峰汇",
    "光合",
    "量子",
    "禾木",
    "嘉和",
    "创想",
)
COMPANY_SUFFIXES = (
    "科技有限公司",
    "信息技术有限公司",
    "网络科技有限公司",
    "生物科技有限公司",
    "智能装备有限公司",
)
SECTORS = (
    "人工智能",
    "集成电路",
    "生物医药",
    "新能源",
    "新材料",
    "海洋高新",
    "数字文创",
    "智能制造",
    "软件和信息服务",
    "现代农业",
)
OTHER_CITIES = ("北京市", "深圳市", "杭州市", "苏州市", "成都市", "武汉市", "福州市", "南京市")
FOREIGN_COUNTRIES = ("US", "GB", "DE", "JP", "SG", "KR", "FR", "IL", "AU", "CA", "FI", "NL")
FOREIGN_CITIES = {
    "US": "San Jose",
    "GB": "London",
    "DE": "Munich",
    "JP": "Tokyo",
    "SG": "Singapore",
    "KR": "Seoul",
    "FR": "Paris",
    "IL": "Tel Aviv",
    "AU": "Sydney",
    "CA": "Toronto",
    "FI": "Helsinki",
    "NL": "Eindhoven",
}

OPERATOR_FORMS = Choice(
    {"enterprise": 86, "public_institution": 5, "social_organisation": 4, "university": 4, "other": 1}
)
USCC_PREFIX = {  # registration authority + organisation type, GB 32100-2015
    "enterprise": "91",
    "public_institution": "12",
    "social_organisation": "52",
    "university": "12",
    "other": "Y1",
}
LICENCE_TYPES = {
    "enterprise": "有限责任公司(自然人投资或控股)",
    "public_institution": "事业单位法人",
    "social_organisation": "民办非企业单位",
    "university": "事业单位法人",
    "other": "其他",
}
TENURES = Choice({"leased": 80, "owned": 12, "free_use": 6, "other": 2})
CONTROLLERS = Choice({"operator": 93, "entrusted": 5, "other": 2})
LEASE_TERMS = Choice({12: 6, 24: 14, 36: 34, 48: 10, 60: 26, 120: 10})  # months
STAFF_ROLES = Choice({"manager": 35, "service": 40, "coach": 20, "international_business": 5})
MENTOR_CATEGORIES = Choice(
    {
        "angel_investor": 18,
        "entrepreneur": 30,
        "technical_expert": 28,
        "investor": 12,
        "professional_services": 10,
        "other": 2,
    }
)
APPOINTMENT_TERMS = Choice({12: 35, 24: 40, 36: 25})
AGREED_TERMS = Choice({12: 25, 24: 64, 36: 11})  # 36 months breaks the 24-month limit (XM25-C-4b)
EXIT_TYPES = Choice({"graduated": 60, "withdrew": 25, "relocated": 8, "expelled": 4, "deregistered": 3})
RESIDENCES = Choice({"desk": 55, "office": 38, "virtual": 7})
INNOVATION_TYPES = Choice({"technology": 50, "business_model": 25, "both": 20, "other": 5})
TECH_BASES = Choice({"sme_database": 60, "high_tech": 25, "reviewer": 15})
ACTIVITY_TYPES = Choice(
    {
        "salon": 25,
        "roadshow": 18,
        "competition": 6,
        "training": 22,
        "forum": 10,
        "ip_training": 7,
        "investment_matching": 10,
        "other": 2,
    }
)
ACTIVITY_ROLES = Choice({"host": 55, "organiser": 25, "co_organiser": 20})
ACTIVITY_NAMES = {
    "salon": "创业沙龙",
    "roadshow": "项目路演",
    "competition": "创新创业大赛",
    "training": "创业培训",
    "forum": "创新论坛",
    "ip_training": "知识产权培训",
    "investment_matching": "投融资对接会",
    "other": "交流活动",
}
ROUNDS = Choice({"seed": 20, "angel": 35, "pre_a": 18, "a": 15, "b_plus": 5, "strategic": 5, "other": 2})
INSTRUMENTS = Choice({"equity": 80, "convertible": 5, "debt": 3, "loan": 7, "grant": 5})
INVESTOR_TYPES = Choice(
    {
        "angel": 30,
        "vc": 28,
        "pe": 5,
        "industrial": 10,
        "operator_self": 8,
        "operator_fund": 7,
        "government_fund": 7,
        "bank": 3,
        "other": 2,
    }
)
IP_TYPES = Choice(
    {
        "invention_patent": 15,
        "utility_model": 30,
        "design_patent": 10,
        "software_copyright": 38,
        "ic_layout": 2,
        "trademark": 5,
    }
)
IP_YEARS = {
    "invention_patent": 20,
    "utility_model": 10,
    "design_patent": 15,
    "ic_layout": 10,
    "trademark": 10,
}
PARTNER_KINDS = Choice(
    {
        "public_tech_platform": 14,
        "key_laboratory": 6,
        "enterprise_tech_centre": 5,
        "research_institute": 8,
        "new_rnd_institution": 5,
        "investment_institution": 20,
        "financial_advisor": 6,
        "legal": 8,
        "ip_agency": 8,
        "hr": 4,
        "testing": 6,
        "other": 2,
    }
)
OVERSEAS_KINDS = Choice({"overseas_institution": 50, "multinational": 25, "overseas_park": 25})
PARTNER_INVESTOR_TYPES = Choice({"angel": 35, "vc": 45, "pe": 15, "other": 5})
AGREEMENT_TERMS = Choice({12: 25, 24: 30, 36: 30, 60: 15})
FUND_TYPES = Choice({"venture_fund": 35, "innovation_fund": 20, "incubation_fund": 25, "seed_fund": 20})
RND_EQUIPMENT = Choice({"rnd_design": 30, "testing": 30, "prototyping": 25, "pilot_production": 15})
SERVICE_CATEGORIES = Choice(
    {
        "technology": 20,
        "information": 10,
        "capital": 15,
        "supply_chain": 8,
        "market": 15,
        "policy": 15,
        "funding": 7,
        "service": 8,
        "other": 2,
    }
)
CREDIT_RESULTS = Choice({"clean": 95, "listed": 2, "removed": 3})
BACKING_TYPES = Choice(
    {
        "leading_enterprise": 45,
        "research_institute": 20,
        "university": 25,
        "innovation_platform": 8,
        "other": 2,
    }
)
BACKING_RELATIONS = Choice({"subsidiary": 40, "cooperation": 45, "host": 15})
TRADEMARK_STATUSES = Choice({"registered": 65, "applied": 20, "none": 15})
OPEN_RESOURCE_TYPES = Choice({"rnd_institution": 40, "open_platform": 40, "data_platform": 20})
IP_STATUSES = Choice({"valid": 88, "lapsed": 8, "invalidated": 4})
FUND_OWNERS = Choice({"operator": 60, "affiliate": 30, "other": 10})
SITE_COUNTS = Choice({1: 60, 2: 30, 3: 10})
OUTCOMES = Choice({"solved": 62, "ongoing": 30, "failed": 8})
CASE_TYPES = Choice(
    {"incubation": 45, "mentor_service": 25, "investment": 20, "listing": 2, "international": 8}
)
INTERNATIONAL_TYPES = Choice(
    {"returnee": 35, "overseas_maker": 20, "foreign_landing": 20, "going_global": 25}
)
MEDIA_TIERS = Choice({"national": 15, "provincial_municipal": 45, "industry": 25, "other": 15})
OUTLETS = (
    "人民网",
    "新华网",
    "科技日报",
    "厦门日报",
    "东南网",
    "解放日报",
    "文汇报",
    "36氪",
    "创业邦",
    "澎湃新闻",
)
BRAND_MODES = Choice({"self_operated": 40, "chain": 35, "franchise": 20, "acquired": 5})
SERVICE_TOPICS = (
    "商业计划书辅导",
    "融资路演辅导",
    "股权结构设计",
    "产品定位",
    "知识产权布局",
    "市场拓展",
    "团队建设",
)


# ---------------------------------------------------------------------------------------------
# One space


@dataclass(frozen=True)
class Profile:
    """What kind of space this is; drawn first so every section can lean the same way."""

    region: Region
    district: str
    district_code: str
    focus: str | None  # a declared 产业细分领域 makes a specialized (专业化) space
    branded: bool
    international: bool
    operating_since: date  # the true start, even when `space.opened_on` is left empty
    # How strong and how well prepared the space is, uniform in [0, 1]. Real applicants differ
    # as a whole: a space with many incubatees also tends to have its papers in order. Without
    # it every condition would fail independently and almost no space would pass them all.
    quality: float
    null_rate: float  # share of optional fields left empty (missing data)
    missing_evidence_rate: float  # share of evidence never provided
    in_focus_share: float

    @property
    def size_scale(self) -> float:
        """0.25–1.75, mean 1: scales the counts without moving their population means."""
        return 0.25 + 1.5 * self.quality

    def strength(self, best: float) -> float:
        """A probability of having something: `best` for the strongest space, mean best/2."""
        return best * self.quality

    def weakness(self, worst: float) -> float:
        """A failure probability: `worst` for the weakest space, 0 for the strongest, mean worst/2."""
        return worst * (1 - self.quality)


@dataclass(frozen=True)
class Lineage:
    """An incubatee's true dates, kept apart from its row (whose dates may be left empty)."""

    id: str
    admitted: date
    left: date | None
    international: bool

    def stay_end(self, reference: date) -> date:
        return self.left or reference


def draw_profile(rng: Random, reference: date) -> Profile:
    region = SHANGHAI if rng.random() < SHANGHAI_SHARE else XIAMEN
    district, district_code = pick(rng, region.districts)
    quality = rng.random()
    return Profile(
        region=region,
        district=district,
        district_code=district_code,
        focus=pick(rng, SECTORS) if rng.random() < 0.55 else None,
        branded=rng.random() < (0.45 if region is SHANGHAI else 0.15),
        international=rng.random() < (0.35 if region is SHANGHAI else 0.08),
        # 2–96 months: about one space in nine has run less than the 12 months XM25-C-1e asks.
        operating_since=months_ago(rng, reference, 2, 96),
        quality=quality,
        null_rate=0.08 * (1 - quality) ** 2,  # 2.7% on average, up to 8%
        missing_evidence_rate=0.2 * (1 - quality) ** 2,  # 6.7% on average, up to 20%
        in_focus_share=rng.uniform(0.6, 0.9),
    )


class SpaceBuilder:
    """Builds one space's facts as plain data, collecting the evidence documents as it goes."""

    def __init__(self, rng: Random, reference: date, profile: Profile) -> None:
        self.rng = rng
        self.reference = reference
        self.profile = profile
        # Bound once: read on every optional field and every piece of evidence.
        self.random = rng.random
        self.null_rate = profile.null_rate
        self.missing_evidence_rate = profile.missing_evidence_rate
        self.documents: list[Row] = []
        self.brand_name = pick(rng, NAME_WORDS) + pick(rng, ("创", "汇", "谷", "坊", "港"))
        road = pick(rng, profile.region.roads)
        self.address = f"{profile.region.city}{profile.district}{road}{uniform_int(rng, 1, 999)}号"
        self.lineages: list[Lineage] = []
        self._months_before: dict[int, date] = {}

    # -- small tools ----------------------------------------------------------------------

    def months_before(self, months: int) -> date:
        """The reference date moved back whole months; cached, as every row asks for a few."""
        day = self._months_before.get(months)
        if day is None:
            day = self._months_before[months] = add_months(self.reference, -months)
        return day

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def known(self, value: T) -> T | None:
        """The value, or None for the share of fields a real applicant leaves empty."""
        return None if self.random() < self.null_rate else value

    def proof(
        self,
        kind: str,
        title: str,
        issued_on: date | None = None,
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> list[str]:
        """Evidence ids for a row: one new document, or none for the share never provided."""
        if self.random() < self.missing_evidence_rate:
            return []
        document_id = f"d{len(self.documents) + 1:04d}"
        document: Row = {
            "id": document_id,
            "kind": kind,
            "title": title,
            "pages": 1 + int(self.random() * 30),
        }
        if issued_on is not None:
            document["issued_on"] = issued_on
        if valid_from is not None:
            document["valid_from"] = valid_from
        if valid_to is not None:
            document["valid_to"] = valid_to
        self.documents.append(document)
        return [document_id]

    def person_name(self) -> str:
        given = pick(self.rng, GIVEN_CHARS) + (pick(self.rng, GIVEN_CHARS) if self.chance(0.7) else "")
        return pick(self.rng, SURNAMES) + given

    def company_name(self) -> str:
        words = pick(self.rng, NAME_WORDS) + pick(self.rng, NAME_WORDS)
        return f"{self.profile.region.short}{words}{pick(self.rng, COMPANY_SUFFIXES)}"

    def uscc(self, prefix: str = "91") -> str:
        return make_uscc(prefix + self.profile.district_code + random_code(self.rng))

    def recent_day(self, months: int = 18, denser_recently: bool = False) -> date:
        """A day in the last `months` months, never before the space opened."""
        first = max(self.months_before(months), self.profile.operating_since)
        draw = recent_day_between if denser_recently else day_between
        return draw(self.rng, first, self.reference)

    def incubatee_day(self, first: date) -> tuple[str | None, date]:
        """An incubatee and a day it was resident on or after `first`, or no incubatee."""
        if self.lineages and self.chance(0.9):
            lineage = pick(self.rng, self.lineages)
            start, end = max(lineage.admitted, first), lineage.stay_end(self.reference)
            if start <= end:
                return lineage.id, day_between(self.rng, start, end)
        return None, day_between(self.rng, max(first, self.profile.operating_since), self.reference)

    # -- the whole space ------------------------------------------------------------------

    def build(self) -> Row:
        facts: Row = {"as_of": self.reference, "operator": self.operator(), "space": self.space()}
        facts["sites"] = self.sites()
        facts["staff"] = self.staff()
        facts["mentors"] = self.mentors()
        facts["incubatees"], facts["registrations"] = self.incubatees()
        facts["mentor_sessions"] = self.mentor_sessions(facts["mentors"])
        facts["financing"] = self.financing()
        facts["ip_rights"] = self.ip_rights()
        facts["activities"] = self.activities()
        facts["partnerships"] = self.partnerships()
        facts["funds"] = self.funds()
        facts["advisory_contracts"] = self.advisory_contracts()
        facts["equipment"] = self.equipment()
        facts["service_records"] = self.service_records()
        facts["cases"] = self.cases()
        facts["media_reports"] = self.media_reports()
        facts["brand_locations"] = self.brand_locations() if self.profile.branded else []
        facts["overseas_branches"] = self.overseas_branches()
        facts["international_projects"] = self.international_projects()
        facts["cultivation"] = self.cultivation()
        facts["documents"] = self.documents
        return facts

    # -- operator and space ---------------------------------------------------------------

    def operator(self) -> Row:
        form = OPERATOR_FORMS.draw(self.rng)
        is_branch = form == "enterprise" and self.chance(
            self.profile.weakness(0.08)
        )  # a branch is not a legal person (XM25-C-1a)
        founded = self.profile.operating_since - timedelta(days=uniform_int(self.rng, 0, 3000))
        accounting = self.known(self.chance(0.95))
        evidence = self.proof("business_licence", "营业执照", founded)
        if accounting is not False:
            evidence += self.proof(
                "financial_statement", f"{self.reference.year - 1}年度财务审计报告", self.months_before(2)
            )
        return {
            "name": self.company_name()
            if form == "enterprise"
            else f"{self.profile.region.short}{self.brand_name}创新中心",
            "uscc": self.uscc(USCC_PREFIX[form]),
            "org_form": form,
            "licence_type": self.known("有限责任公司(分公司)" if is_branch else LICENCE_TYPES[form]),
            "is_legal_person": self.known(not is_branch),
            "is_branch": self.known(is_branch),
            "registered_address": self.known(self.address),
            "registered_city": self.known(self.profile.region.city),
            "founded_on": self.known(founded),
            "legal_representative": self.known(self.person_name()),
            "independent_accounting": accounting,
            "credit_checks": self.credit_checks(),
            "evidence": evidence,
        }

    def credit_checks(self) -> list[Row]:
        checks = []
        for number, (source, list_type) in enumerate(
            (("credit_china", "joint_punishment"), ("enterprise_credit_publicity", "abnormal_operation")),
            start=1,
        ):
            # Mostly fresh; one in ten older than the 30 days XM25-C-1c accepts.
            stale = self.chance(self.profile.weakness(0.2))
            age = uniform_int(self.rng, 31, 120) if stale else uniform_int(self.rng, 0, 30)
            checked_on = self.reference - timedelta(days=age)
            result = CREDIT_RESULTS.draw(self.rng)
            check: Row = {
                "id": f"cc{number}",
                "source": source,
                "list_type": list_type,
                "checked_on": checked_on,
                "result": result,
                "evidence": self.proof("credit_report", "信用报告", checked_on),
            }
            if result == "removed":
                check["removed_on"] = checked_on - timedelta(days=uniform_int(self.rng, 30, 700))
            checks.append(check)
        return checks

    def space(self) -> Row:
        profile = self.profile
        space: Row = {
            "name": f"{self.brand_name}{profile.focus or ''}众创空间",
            "address": self.known(self.address),
            "district": self.known(profile.district),
            "city": self.known(profile.region.city),
            "opened_on": self.known(profile.operating_since),
            "focus_subsector": profile.focus,
            "service_description": self.known("提供创业辅导、投融资对接、政策咨询、技术服务等全链条孵化服务"),
            "evidence": self.space_documents(),
        }
        if self.chance(0.4):
            space["backing_entity"] = self.backing_entity()
        if profile.branded:
            space["brand"] = self.brand()
        if self.chance(0.6):
            space["online_platform"] = self.online_platform()
        space["open_resources"] = [
            self.open_resource(number) for number in range(1, poisson(self.rng, 1.2) + 1)
        ]
        space["stage_programmes"] = self.stage_programmes()
        return space

    def space_documents(self) -> list[str]:
        """The space-level materials: management rules (XM25-C-2), introduction, plans."""
        issued = self.profile.operating_since
        evidence = self.proof("introduction", "众创空间简介", self.months_before(1))
        for kind, title in (
            ("policy_admission", "入孵评估制度"),
            ("policy_graduation_exit", "毕业与退出机制"),
            ("policy_mentoring", "创业导师制度"),
            ("policy_service_process", "孵化服务流程"),
        ):
            evidence += self.proof(kind, title, issued)
        if self.chance(0.4):
            evidence += self.proof("policy_other", "财务管理制度", issued)
        if self.profile.branded:
            evidence += self.proof("brand_manual", "品牌标准手册", issued)
            evidence += self.proof("public_disclosure", "服务制度公开宣传材料", self.months_before(3))
        if self.profile.international:
            evidence += self.proof("international_plan", "国际化业务发展规划", self.months_before(6))
        if self.profile.focus and self.chance(0.5):
            evidence += self.proof("case_compilation", "上市案例和投资案例汇编", self.months_before(2))
        return evidence

    def backing_entity(self) -> Row:
        kind = BACKING_TYPES.draw(self.rng)
        short = self.profile.region.short
        names = {
            "university": f"{short}大学",
            "research_institute": f"{short}{pick(self.rng, NAME_WORDS)}研究院",
        }
        name = names.get(kind) or self.company_name()
        return {
            "name": name,
            "type": kind,
            "relation": self.known(BACKING_RELATIONS.draw(self.rng)),
            "evidence": self.proof("cooperation_agreement", f"与{name}合作协议"),
        }

    def brand(self) -> Row:
        status = TRADEMARK_STATUSES.draw(self.rng)
        brand: Row = {
            "name": self.brand_name,
            "trademark_status": status,
            "hq_city": self.known(
                self.profile.region.city if self.chance(0.8) else pick(self.rng, OTHER_CITIES)
            ),
            "evidence": [],
        }
        if status == "registered":
            registered = months_ago(self.rng, self.reference, 6, 100)
            brand["trademark_reg_no"] = str(uniform_int(self.rng, 10_000_000, 69_999_999))
            brand["trademark_valid_to"] = self.known(add_months(registered, 120) - ONE_DAY)
            brand["evidence"] = self.proof(
                "trademark_certificate", f"“{self.brand_name}”商标注册证", registered
            )
        return brand

    def online_platform(self) -> Row:
        features = ["technology", "information", "capital", "supplier", "market"]
        return {
            "url": self.known(f"https://www.example-{uniform_int(self.rng, 1000, 9999)}.cn"),
            "features": [feature for feature in features if self.chance(0.7)],
            "launched_on": self.known(day_between(self.rng, self.profile.operating_since, self.reference)),
            "evidence": self.proof("platform_description", "线上线下服务平台说明"),
        }

    def open_resource(self, number: int) -> Row:
        kind = OPEN_RESOURCE_TYPES.draw(self.rng)
        return {
            "id": f"or{number}",
            "name": f"{pick(self.rng, NAME_WORDS)}开放平台",
            "type": kind,
            "open_to_incubatees": self.known(self.chance(0.9)),
            "evidence": self.proof("cooperation_agreement", "开放共享协议"),
        }

    def stage_programmes(self) -> list[Row]:
        # Branded spaces mostly have the 苗圃-孵化器-加速器 chain (SH-BRD-T6); others rarely.
        share = 0.75 if self.profile.branded else 0.15
        return [
            {
                "id": f"st{number}",
                "stage": stage,
                "operated_by": "self" if self.chance(0.7) else "partner",
                "name": f"{self.brand_name}{label}",
            }
            for number, (stage, label) in enumerate(
                (("nursery", "苗圃"), ("incubator", "孵化器"), ("accelerator", "加速器")), start=1
            )
            if self.chance(share)
        ]

    # -- sites and leases -------------------------------------------------------------------

    def sites(self) -> list[Row]:
        # Total 500–2500 m², mode 600–1800 by quality (1200 on average): about one space in five
        # is under the 1000 m² of XM25-C-3a and one in twelve under the 800 m² of XM25-S-3a,
        # before sites that do not count (free use, not controlled by the operator) take more.
        total = self.rng.triangular(500, 2500, 600 + 1200 * self.profile.quality)
        count = SITE_COUNTS.draw(self.rng)
        shares = [self.rng.uniform(1, 3) for _ in range(count)]
        return [
            self.site(number, total * share / sum(shares)) for number, share in enumerate(shares, start=1)
        ]

    def site(self, number: int, area: float) -> Row:
        tenure, controller = TENURES.draw(self.rng), CONTROLLERS.draw(self.rng)
        # Workstations plus public space: from 80–88% to 100% of the total, mode 86–100%, both by
        # quality; XM25-C-3c needs 90%, which about 29% of sites miss.
        quality = self.profile.quality
        qualifying = area * self.rng.triangular(0.80 + 0.08 * quality, 1.0, 0.86 + 0.14 * quality)
        workstation = qualifying * self.rng.uniform(0.55, 0.75)
        public = qualifying - workstation
        market_rent = self.rng.uniform(45, 150)
        site: Row = {
            "id": f"site{number}",
            "address": self.known(f"{self.address}{number}号楼{uniform_int(self.rng, 1, 20)}层"),
            "tenure": self.known(tenure),
            "controller": self.known(controller),
            "area_basis": self.known("building" if self.chance(0.7) else "usable"),
            "total_area_m2": self.known(yuan(area)),
            "workstation_area_m2": self.known(yuan(workstation)),
            "workstation_count": self.known(int(workstation / self.rng.uniform(4, 8))),
            "public_service_area_m2": self.known(yuan(public)),
            "management_area_m2": self.known(yuan(max(area - qualifying, 0) * self.rng.uniform(0.3, 1.0))),
            "incubatee_rent_yuan_per_m2_month": self.known(yuan(market_rent * self.rng.uniform(0.3, 1.0))),
            "market_rent_yuan_per_m2_month": self.known(yuan(market_rent)),
            "leases": self.leases(number) if tenure == "leased" else [],
            "evidence": self.proof("floor_plan", f"场地{number}平面图"),
        }
        if self.chance(0.7):
            site["public_service_breakdown"] = self.public_breakdown(public)
        if tenure == "owned":
            site["evidence"] += self.proof("title_deed", f"场地{number}产权证")
        if controller == "entrusted":
            site["evidence"] += self.proof("entrustment_agreement", f"场地{number}委托运营协议")
        return site

    def public_breakdown(self, public: float) -> Row:
        parts = ("reception_m2", "showcase_m2", "meeting_m2", "leisure_m2", "equipment_m2")
        weights = [self.rng.uniform(0.5, 2) for _ in parts]
        return {
            part: yuan(public * weight / sum(weights)) for part, weight in zip(parts, weights, strict=True)
        }

    def leases(self, site_number: int) -> list[Row]:
        """The lease in force, sometimes preceded by the lease it formally renews (`renews`).

        Remaining term uniform up to 72 months from 2 (weakest) to 26 (strongest) at the
        reference date: about one lease in six has less than the 24 months of XM25-C-3f. Terms
        of 12 and 24 months break XM25-C-3e unless chained.
        """
        remaining = self.rng.uniform(2 + 24 * self.profile.quality, 72)
        end = self.reference + timedelta(days=round(remaining * 30.44))
        term = LEASE_TERMS.draw(self.rng)
        while term < remaining + 1:  # a lease in force has started, so its term covers what remains
            term = LEASE_TERMS.draw(self.rng) if self.chance(0.5) else 120
        current = self.lease(
            f"ZL-{site_number}-{uniform_int(self.rng, 1000, 9999)}", add_months(end + ONE_DAY, -term), end
        )
        leases = [current]
        while len(leases) < 3 and self.chance(0.3):
            previous_end = leases[0]["_start"] - ONE_DAY
            previous = self.lease(
                f"{current['contract_no']}-{len(leases)}",
                add_months(previous_end + ONE_DAY, -LEASE_TERMS.draw(self.rng)),
                previous_end,
            )
            # One renewal in ten is not formally linked: the chains then stay apart (DOMAIN §7.1).
            leases[0]["renews"] = previous["contract_no"] if self.chance(0.9) else None
            leases.insert(0, previous)
        for lease in leases:
            del lease["_start"]
        return leases

    def lease(self, contract_no: str, start: date, end: date) -> Row:
        lessee_is_operator = self.chance(0.94)
        return {
            "contract_no": contract_no,
            "lessor": self.known(f"{self.profile.region.short}{pick(self.rng, NAME_WORDS)}资产管理有限公司"),
            "lessee_is_operator": self.known(lessee_is_operator),
            "start_date": self.known(start),
            "end_date": self.known(end),
            "_start": start,  # the true start, for chaining; removed before validation
            "evidence": self.proof("lease_contract", f"租赁合同{contract_no}", start, start, end),
        }

    # -- people -----------------------------------------------------------------------------

    def staff(self) -> list[Row]:
        count = spread_count(self.rng, MEAN_STAFF, shape=6, minimum=1, scale=self.profile.size_scale)
        return [
            self.staff_member(number, "head" if number == 1 else self.staff_role())
            for number in range(1, count + 1)
        ]

    def staff_role(self) -> str:
        if self.profile.international and self.chance(0.3):
            return "international_business"
        return STAFF_ROLES.draw(self.rng)

    def staff_member(self, number: int, role: str) -> Row:
        hired = months_ago(self.rng, self.reference, 0.5, 72)
        left = day_between(self.rng, hired, self.reference) if self.chance(0.07) else None
        name = self.person_name()
        member: Row = {
            "id": f"staff{number}",
            "name": name,
            "role": role,
            "full_time": self.known(self.chance(0.93)),
            "hired_on": self.known(hired),
            "left_on": left,
            "is_professional": self.known(self.chance(0.55)),
            "nationality": "CN"
            if not self.profile.international or self.chance(0.85)
            else self.foreign_country(),
            "background": self.known("具有多年产业服务与创业孵化经验"),
            "evidence": self.proof("social_insurance_proof", f"{name}社保缴交证明", self.reference),
        }
        if self.chance(0.96):
            member["social_insurance"] = self.social_insurance(hired, left)
        if role == "international_business":
            member["intl_experience_years"] = self.known(Decimal(uniform_int(self.rng, 0, 100)).scaleb(-1))
        if self.chance(0.4):
            member["evidence"] += self.proof("cv", f"{name}简历")
        return member

    def social_insurance(self, hired: date, left: date | None) -> Row:
        """Months paid over the last year up to the notice month (the month before the reference)."""
        last = left or self.months_before(1)
        months = month_keys(max(hired, self.months_before(12)), last)
        if months and self.chance(self.profile.weakness(0.08)):  # arrears: the notice month is missing
            months.pop()
        paid_by_other = self.chance(self.profile.weakness(0.14))  # a parent or an agency (XM25-C-5b)
        return {"payer": "other" if paid_by_other else "operator", "months": months}

    def foreign_country(self) -> str:
        return pick(self.rng, FOREIGN_COUNTRIES)

    def mentors(self) -> list[Row]:
        count = spread_count(self.rng, MEAN_MENTORS, shape=3, minimum=1, scale=self.profile.size_scale)
        return [self.mentor(number) for number in range(1, count + 1)]

    def mentor(self, number: int) -> Row:
        term = APPOINTMENT_TERMS.draw(self.rng)
        if self.chance(0.82):  # the appointment covers the reference date (XM25-C-6b)
            start = self.reference - timedelta(days=uniform_int(self.rng, 0, term * 30 - 31))
        else:  # expired before it
            start = self.reference - timedelta(days=uniform_int(self.rng, term * 31, term * 31 + 400))
        end = add_months(start, term) - ONE_DAY
        name = self.person_name()
        evidence = self.proof("appointment_letter", f"{name}导师聘书", start, start, end)
        if self.chance(0.4):
            evidence += self.proof("cv", f"{name}简历")
        return {
            "id": f"m{number}",
            "name": name,
            "category": MENTOR_CATEGORIES.draw(self.rng),
            "employer": self.known(self.company_name()),
            "specialty": self.known(self.profile.focus or pick(self.rng, SECTORS)),
            "is_sector_specialist": self.known(self.chance(0.55)) if self.profile.focus else None,
            "full_time": self.chance(0.1),
            "appointed_from": self.known(start),
            "appointed_to": self.known(end) if self.chance(0.95) else None,  # some are open-ended
            "evidence": evidence,
        }

    def mentor_sessions(self, mentors: list[Row]) -> list[Row]:
        ledger = self.proof("service_log", "导师辅导记录台账", self.reference)
        sessions = []
        for number in range(1, poisson(self.rng, 3 * len(mentors)) + 1):
            incubatee_id, day = self.incubatee_day(self.months_before(15))
            sessions.append(
                {
                    "id": f"ms{number}",
                    "mentor_id": pick(self.rng, mentors)["id"],
                    "incubatee_id": incubatee_id,
                    "date": day,
                    "topic": self.known(pick(self.rng, SERVICE_TOPICS)),
                    "evidence": ledger if self.chance(0.9) else [],
                }
            )
        return sessions

    # -- incubatees -------------------------------------------------------------------------

    def incubatees(self) -> tuple[list[Row], list[Row]]:
        count = spread_count(self.rng, MEAN_INCUBATEES, shape=3, minimum=1, scale=self.profile.size_scale)
        rows: list[Row] = []
        registrations: list[Row] = []
        for number in range(1, count + 1):
            row, registration = self.incubatee(f"i{number:03d}")
            rows.append(row)
            if registration is not None:
                registrations.append({"id": f"reg{len(registrations) + 1}", **registration})
        return rows, registrations

    def incubatee(self, lineage_id: str) -> tuple[Row, Row | None]:
        """One lineage: a team or company, admitted in the last 36 months (some over the 24-month limit)."""
        # Denser towards the present (the roll is mostly current incubatees): up to one in nine
        # was admitted more than 24 months ago, fewer in younger spaces (7% overall).
        first = max(self.months_before(36), self.profile.operating_since)
        admitted = recent_day_between(self.rng, first, self.reference)
        agreed_end = add_months(admitted, AGREED_TERMS.draw(self.rng)) - ONE_DAY
        left = self.exit_day(admitted, agreed_end)
        international = self.chance(0.2 if self.profile.international else 0.04)
        self.lineages.append(Lineage(lineage_id, admitted, left, international))
        started_as_team = self.chance(0.5)
        registered_on = None
        earliest_registration, stay_end = admitted + timedelta(days=7), left or self.reference
        if started_as_team and earliest_registration <= stay_end and self.chance(0.5):
            registered_on = day_between(self.rng, earliest_registration, stay_end)
        name = self.company_name()
        row: Row = {
            "id": lineage_id,
            "name": name if not started_as_team or registered_on else f"{name[2:6]}创业团队",
            "kind": "team" if started_as_team and registered_on is None else "company",
            "admitted_on": self.known(admitted),
            "agreed_end": self.known(agreed_end),
            "exited_on": left,
            "exit_type": EXIT_TYPES.draw(self.rng) if left else None,
            "residence": self.known(RESIDENCES.draw(self.rng)),
            "innovation_type": self.known(INNOVATION_TYPES.draw(self.rng)),
            "is_international": self.known(international),
            "evidence": self.proof("incubation_agreement", f"{name}入孵协议", admitted, admitted, agreed_end),
            **self.sector(),
        }
        if international:
            row["origin_country"] = self.foreign_country()
        registration = None
        if row["kind"] == "company":
            founded = registered_on or self.founding_day(admitted)
            row["company"] = self.company(name, founded)
            self.tech_flags(row)
        if registered_on is not None:
            registration = {
                "incubatee_id": lineage_id,
                "registered_on": self.known(registered_on),
                "company_name": name,
                "uscc": row["company"]["uscc"],
                "registered_address_matches": row["company"]["registered_address_matches"],
                "evidence": self.proof("business_licence", f"{name}营业执照", registered_on),
            }
        if row["residence"] == "office" and self.chance(0.5):
            row["evidence"] += self.proof("sublease_agreement", f"{name}租赁协议", admitted)
        return row, registration

    def exit_day(self, admitted: date, agreed_end: date) -> date | None:
        """Most leave around the agreed end; some overstay it; a few leave early."""
        if agreed_end < self.reference and self.chance(0.8):
            around_end = day_between(
                self.rng, agreed_end - timedelta(days=60), agreed_end + timedelta(days=30)
            )
            return min(max(around_end, admitted), self.reference)
        if self.chance(0.08):
            return day_between(self.rng, admitted, self.reference)
        return None

    def founding_day(self, admitted: date) -> date:
        # Most companies were founded within the 12 months before admission (XM25-C-4e); 15% earlier.
        months = self.rng.uniform(0, 12) if self.chance(0.85) else self.rng.uniform(12.5, 48)
        return admitted - timedelta(days=round(months * 30.44))

    def company(self, name: str, founded: date) -> Row:
        matches = self.chance(0.9)
        return {
            "name": name,
            "uscc": self.known(self.uscc()),
            "founded_on": self.known(founded),
            "registered_address": self.known(
                f"{self.address}{uniform_int(self.rng, 101, 999)}室"
                if matches
                else f"{self.profile.region.city}某区某路1号"
            ),
            "registered_address_matches": self.known(matches),
        }

    def sector(self) -> Row:
        focus = self.profile.focus
        if focus is None:
            return {"sector": self.known(pick(self.rng, SECTORS))}
        in_focus = self.chance(self.profile.in_focus_share)
        sector = focus if in_focus else pick(self.rng, [other for other in SECTORS if other != focus])
        return {"sector": self.known(sector), "in_focus": self.known(in_focus)}

    def tech_flags(self, row: Row) -> None:
        is_tech = self.chance(0.55)
        row["is_tech_enterprise"] = self.known(is_tech)
        if is_tech:
            row["tech_basis"] = TECH_BASES.draw(self.rng)

    def stay_day(self, lineage: Lineage) -> date:
        return day_between(self.rng, lineage.admitted, lineage.stay_end(self.reference))

    def financing(self) -> list[Row]:
        events: list[Row] = []
        for lineage in self.lineages:
            for _ in range(poisson(self.rng, 0.22)):
                events.append(self.financing_event(f"f{len(events) + 1}", lineage))
        return events

    def financing_event(self, event_id: str, lineage: Lineage) -> Row:
        closed = self.stay_day(lineage)
        investor_type = INVESTOR_TYPES.draw(self.rng)
        investor = "运营机构" if investor_type == "operator_self" else f"{pick(self.rng, NAME_WORDS)}创业投资"
        evidence = self.proof("investment_agreement", f"{investor}投资协议", closed)
        evidence += self.proof("payment_receipt", "投资款到账凭证", closed)
        if self.chance(0.3):
            evidence += self.proof("registration_change", "工商变更登记", closed + timedelta(days=20))
        return {
            "id": event_id,
            "incubatee_id": lineage.id,
            "closed_on": self.known(closed),
            "round": self.known(ROUNDS.draw(self.rng)),
            "instrument": INSTRUMENTS.draw(self.rng),
            "investor": self.known(investor),
            "investor_type": investor_type,
            "amount_yuan": self.known(yuan(math.exp(self.rng.gauss(math.log(2_000_000), 1.0)))),
            "operator_direct": investor_type == "operator_self",
            "facilitated": self.chance(0.6),
            "evidence": evidence,
        }

    def ip_rights(self) -> list[Row]:
        rights: list[Row] = []
        for lineage in self.lineages:
            for _ in range(poisson(self.rng, 0.45)):
                rights.append(self.ip_right(f"ip{len(rights) + 1}", lineage))
        return rights

    def ip_right(self, right_id: str, lineage: Lineage) -> Row:
        kind = IP_TYPES.draw(self.rng)
        title = f"一种{pick(self.rng, NAME_WORDS)}系统"
        if self.chance(0.12):  # an application, not a right (DOMAIN §7.1 valid IP)
            return {
                "id": right_id,
                "incubatee_id": lineage.id,
                "type": kind,
                "title": title,
                "status": "pending",
            }
        granted = self.stay_day(lineage)
        years = IP_YEARS.get(kind)
        valid_to = add_months(granted, 12 * years) - ONE_DAY if years else None
        status = IP_STATUSES.draw(self.rng)
        return {
            "id": right_id,
            "incubatee_id": lineage.id,
            "type": kind,
            "title": title,
            "number": self.known(f"ZL{granted.year}{uniform_int(self.rng, 10**8, 10**9 - 1)}"),
            "granted_on": self.known(granted),
            "status": status,
            "valid_to": self.known(valid_to),
            "evidence": self.proof("ip_certificate", f"{title}证书", granted),
        }

    # -- services ---------------------------------------------------------------------------

    def activities(self) -> list[Row]:
        # Over 18 months, denser recently: 89% fall in the last year, and with co-organised events
        # and missing evidence about half of the spaces reach the 10 of XM25-C-7.
        count = spread_count(self.rng, MEAN_ACTIVITIES, shape=4, minimum=2, scale=self.profile.size_scale)
        series = f"{self.brand_name}创享汇" if self.profile.branded or self.chance(0.2) else None
        return [self.activity(number, series) for number in range(1, count + 1)]

    def activity(self, number: int, series: str | None) -> Row:
        kind, day = ACTIVITY_TYPES.draw(self.rng), self.recent_day(18, denser_recently=True)
        title = f"{self.brand_name}{ACTIVITY_NAMES[kind]}（{day:%Y年%m月}）"
        evidence = self.proof("photo", f"{title}照片", day) + self.proof(
            "sign_in_sheet", f"{title}签到表", day
        )
        if self.chance(0.5):
            evidence += self.proof("activity_notice", f"{title}通知", day - timedelta(days=7))
        return {
            "id": f"a{number}",
            "title": title,
            "type": kind,
            "date": day,
            "role": ACTIVITY_ROLES.draw(self.rng),
            "online": self.chance(0.15),
            "participants": self.known(uniform_int(self.rng, 15, 300)),
            "international": self.chance(0.45 if self.profile.international else 0.05),
            "series": series if series and self.chance(0.4) else None,
            "evidence": evidence,
        }

    def partnerships(self) -> list[Row]:
        mean = 10 if self.profile.branded or self.profile.focus else 6
        count = spread_count(self.rng, mean, shape=3, scale=self.profile.size_scale)
        rows = [self.partnership(f"p{number}") for number in range(1, count + 1)]
        overseas = (
            spread_count(self.rng, 5, shape=3) if self.profile.international else poisson(self.rng, 0.3)
        )
        rows += [self.overseas_partnership(f"p{count + number}") for number in range(1, overseas + 1)]
        return rows

    def agreement_dates(self) -> tuple[date, date]:
        """Signed in the last four years for 1–5 years: about a third have expired at the reference."""
        start = months_ago(self.rng, self.reference, 0, 48)
        return start, add_months(start, AGREEMENT_TERMS.draw(self.rng)) - ONE_DAY

    def partnership(self, row_id: str) -> Row:
        kind = PARTNER_KINDS.draw(self.rng)
        start, end = self.agreement_dates()
        city = self.profile.region.city if self.chance(0.85) else pick(self.rng, OTHER_CITIES)
        suffix = "公共技术服务平台" if kind == "public_tech_platform" else "中心"
        partner = f"{city[:2]}{pick(self.rng, NAME_WORDS)}{suffix}"
        return {
            "id": row_id,
            "partner": partner,
            "kind": kind,
            "investor_type": PARTNER_INVESTOR_TYPES.draw(self.rng)
            if kind == "investment_institution"
            else None,
            "city": self.known(city),
            "signed_on": self.known(start),
            "valid_from": self.known(start),
            "valid_to": self.known(end),
            "credit_clean": self.known(self.chance(0.96)),
            "evidence": self.proof("cooperation_agreement", f"与{partner}合作协议", start, start, end),
        }

    def overseas_partnership(self, row_id: str) -> Row:
        country = self.foreign_country()
        start, end = self.agreement_dates()
        partner = f"{FOREIGN_CITIES[country]} Innovation Hub"
        return {
            "id": row_id,
            "partner": partner,
            "kind": OVERSEAS_KINDS.draw(self.rng),
            "overseas": True,
            "country": country,
            "city": FOREIGN_CITIES[country],
            "signed_on": self.known(start),
            "valid_from": self.known(start),
            "valid_to": self.known(end),
            "credit_clean": self.known(True),
            "with_foreign_entity": self.known(self.chance(0.8)),
            "evidence": self.proof("cooperation_agreement", f"与{partner}合作协议", start, start, end),
        }

    def funds(self) -> list[Row]:
        if not self.chance(self.profile.strength(0.6)):
            return []
        established = months_ago(self.rng, self.reference, 6, 84)
        fund: Row = {
            "id": "fund1",
            "name": f"{self.brand_name}天使基金",
            "type": FUND_TYPES.draw(self.rng),
            "size_yuan": self.known(yuan(pick(self.rng, (5, 10, 20, 50, 100)) * 1_000_000)),
            "established_on": self.known(established),
            "owner": FUND_OWNERS.draw(self.rng),
            "evidence": self.proof("fund_establishment", "基金成立文件", established),
        }
        if self.chance(0.1):  # dissolved before the reference date: no fund at R (XM25-C-8a)
            fund["dissolved_on"] = day_between(self.rng, established, self.reference)
        return [fund]

    def advisory_contracts(self) -> list[Row]:
        if not self.chance(self.profile.strength(0.6)):
            return []
        start, end = self.agreement_dates()
        provider = f"{self.profile.region.short}{pick(self.rng, NAME_WORDS)}财务顾问有限公司"
        return [
            {
                "id": "fa1",
                "provider": provider,
                "start_date": self.known(start),
                "end_date": self.known(end),
                "evidence": self.proof("advisory_contract", f"{provider}财务顾问服务合同", start, start, end),
            }
        ]

    def equipment(self) -> list[Row]:
        # The public facilities XM25-C-3b lists, each missing now and then.
        items = [
            ("internet", "免费网络接入"),
            ("public_software", "公共软件平台"),
            ("shared_office", "共享打印复印设备"),
        ]
        rows = [self.equipment_item(category, name) for category, name in items if self.chance(0.88)]
        # Specialized spaces own research and production equipment (XM25-S-8a); others seldom.
        for _ in range(poisson(self.rng, 3.0 if self.profile.focus else 0.6)):
            category = RND_EQUIPMENT.draw(self.rng)
            rows.append(self.equipment_item(category, f"{self.profile.focus or ''}{category}设备"))
        return [{"id": f"eq{number}", **row} for number, row in enumerate(rows, start=1)]

    def equipment_item(self, category: str, name: str) -> Row:
        return {
            "name": name,
            "category": category,
            "quantity": uniform_int(self.rng, 1, 20),
            "value_yuan": self.known(yuan(self.rng.uniform(2_000, 800_000))),
            "open_to_incubatees": self.known(self.chance(0.88)),
            "evidence": self.proof("photo", f"{name}照片"),
        }

    def service_records(self) -> list[Row]:
        mean = 40 if self.profile.branded else 25 if self.profile.focus else 12
        ledger = self.proof("service_log", "服务记录台账", self.reference)
        rows = []
        for number in range(1, spread_count(self.rng, mean, shape=3) + 1):
            incubatee_id, day = self.incubatee_day(self.months_before(18))
            rows.append(
                {
                    "id": f"sr{number}",
                    "date": day,
                    "incubatee_id": incubatee_id,
                    "category": SERVICE_CATEGORIES.draw(self.rng),
                    "provider": "self" if self.chance(0.7) else "partner",
                    "customised": self.chance(0.45),
                    "outcome": self.known(OUTCOMES.draw(self.rng)),
                    "international": self.chance(0.3 if self.profile.international else 0.03),
                    "complete_record": self.known(self.chance(0.85)),
                    "evidence": ledger if self.chance(0.9) else [],
                }
            )
        return rows

    # -- outputs ----------------------------------------------------------------------------

    def cases(self) -> list[Row]:
        count = poisson(self.rng, 3.0 * self.profile.size_scale)
        rows = [self.case(f"c{number}") for number in range(1, count + 1)]
        if self.profile.branded:
            rows += [
                self.brand_output_case(f"c{len(rows) + number}")
                for number in range(1, poisson(self.rng, 2) + 1)
            ]
        return rows

    def case(self, row_id: str) -> Row:
        kind = CASE_TYPES.draw(self.rng)
        incubatee_id, day = self.incubatee_day(self.months_before(24))
        case: Row = {
            "id": row_id,
            "title": f"{self.brand_name}典型孵化案例",
            "type": kind,
            "date": day,
            "incubatee_id": incubatee_id,
            "evidence": self.proof("case_writeup", "典型案例材料", day),
        }
        if kind == "international":
            case["international_type"] = INTERNATIONAL_TYPES.draw(self.rng)
            case["partner"] = self.known(f"{FOREIGN_CITIES[self.foreign_country()]} Innovation Hub")
        return case

    def brand_output_case(self, row_id: str) -> Row:
        day = self.recent_day(24)
        city = self.profile.region.city if self.chance(0.5) else pick(self.rng, OTHER_CITIES)
        return {
            "id": row_id,
            "title": f"{self.brand_name}品牌输出（{city}）",
            "type": "brand_output",
            "date": day,
            "city": city,
            "evidence": self.proof("case_writeup", "品牌输出案例材料", day),
        }

    def media_reports(self) -> list[Row]:
        mean = 12 if self.profile.branded else 3
        rows: list[Row] = []
        for number in range(1, spread_count(self.rng, mean, shape=3) + 1):
            day = self.recent_day(18)
            reposts_earlier = bool(rows) and self.chance(0.15)  # reposts of one story count once (SH-BRD-T5a)
            rows.append(
                {
                    "id": f"mr{number}",
                    "outlet": pick(self.rng, OUTLETS),
                    "tier": self.known(MEDIA_TIERS.draw(self.rng)),
                    "third_party": self.chance(0.85),
                    "published_on": day,
                    "title": f"{self.brand_name}众创空间助力创新创业",
                    "url": self.known(f"https://news.example.cn/{uniform_int(self.rng, 10**6, 10**7)}"),
                    "story": rows[-1]["story"] if reposts_earlier else f"story{number}",
                    "evidence": self.proof("media_clip", "媒体报道截图", day),
                }
            )
        return rows

    def brand_locations(self) -> list[Row]:
        """The applicant itself plus other same-brand spaces; SH-BRD-B2b needs 3 in Shanghai."""
        rows = [
            {
                "id": "bl1",
                "name": f"{self.brand_name}众创空间",
                "city": self.profile.region.city,
                "mode": "self_operated",
                "opened_on": self.profile.operating_since,
                "is_applicant": True,
            }
        ]
        for number in range(2, poisson(self.rng, 3.0) + 2):
            opened = months_ago(self.rng, self.reference, 1, 72)
            city = self.profile.region.city if self.chance(0.65) else pick(self.rng, OTHER_CITIES)
            row: Row = {
                "id": f"bl{number}",
                "name": f"{self.brand_name}{city[:2]}{number}号店",
                "city": city,
                "mode": BRAND_MODES.draw(self.rng),
                "opened_on": self.known(opened),
                "incubatees_served_in_period": self.known(uniform_int(self.rng, 5, 60)),
            }
            if self.chance(0.08):
                row["closed_on"] = day_between(self.rng, opened, self.reference)
            rows.append(row)
        return rows

    def overseas_branches(self) -> list[Row]:
        if not self.chance(0.45 if self.profile.international else 0.02):
            return []
        country = self.foreign_country()
        established = months_ago(self.rng, self.reference, 3, 48)
        return [
            {
                "id": "ob1",
                "country": country,
                "city": self.known(FOREIGN_CITIES[country]),
                "established_on": self.known(established),
                "exported_teams": poisson(self.rng, 2.0),
                "evidence": self.proof("other", "海外机构设立文件", established),
            }
        ]

    def international_projects(self) -> list[Row]:
        count = spread_count(self.rng, 12, shape=3) if self.profile.international else poisson(self.rng, 0.3)
        international = [lineage for lineage in self.lineages if lineage.international]
        rows = []
        for number in range(1, count + 1):
            lineage = pick(self.rng, international) if international and self.chance(0.6) else None
            started = self.stay_day(lineage) if lineage else self.recent_day(24)
            rows.append(
                {
                    "id": f"ip-int{number}",
                    "name": f"国际项目{number}",
                    "type": INTERNATIONAL_TYPES.draw(self.rng),
                    "incubatee_id": lineage.id if lineage else None,
                    "country": self.known(self.foreign_country()),
                    "started_on": started,
                    "evidence": self.proof("cooperation_agreement", "国际项目合作协议", started),
                }
            )
        return rows

    def cultivation(self) -> Row | None:
        """Shanghai 三化 cultivation (DOMAIN.md §3) for most Shanghai spaces, started 3–27 months ago."""
        if self.profile.region is not SHANGHAI or not self.chance(0.6):
            return None
        if self.profile.branded:
            track = "branded"
        elif self.profile.international:
            track = "international"
        else:
            track = "specialized"
        start = months_ago(self.rng, self.reference, 3, 27)
        approved = start - timedelta(days=uniform_int(self.rng, 0, 60))
        return {
            "track": track,
            "approved_on": self.known(approved),
            "start_date": start,
            "document_no": self.known(f"沪科〔{approved.year}〕{uniform_int(self.rng, 100, 400)}号"),
            "evidence": self.proof("other", "培育项目立项通知", approved),
        }


# ---------------------------------------------------------------------------------------------
# Public functions


def generate_space_data(seed: int, reference: date = REFERENCE_DATE) -> Row:
    """One space as plain data (dicts, lists, dates, Decimals) in the facts layout, before validation."""
    rng = Random(seed)
    profile = draw_profile(rng, reference)
    return SpaceBuilder(rng, reference, profile).build()


def space_seeds(count: int, seed: int) -> Iterator[int]:
    """One seed per space, so the first n spaces do not depend on `count`."""
    master = Random(seed)
    for _ in range(count):
        yield master.getrandbits(64)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building data that holds no reference cycles.

    Facts models and table rows form no cycles, so the collector finds nothing in them, yet each
    of its full passes walks every object the caller keeps: holding 10,000 spaces, those passes
    cost more than the generation itself. Reference counting frees memory as usual meanwhile, and
    the previous state is restored (a nested pause leaves the collector off until the outer ends).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


BATCH_SIZE = 100  # spaces built per pause: few enough to hold, enough to make collections rare


def generate_facts(count: int, seed: int = 0, reference: date = REFERENCE_DATE) -> Iterator[Facts]:
    """`count` validated synthetic spaces, the same ones for the same seed and reference."""
    seeds = list(space_seeds(count, seed))
    for start in range(0, count, BATCH_SIZE):
        # Paused only while a batch is built: the caller's code between spaces runs as usual.
        with cyclic_gc_paused():
            batch = [
                Facts.model_validate(generate_space_data(one, reference))
                for one in seeds[start : start + BATCH_SIZE]
            ]
        yield from batch


def generate_tables(count: int, seed: int = 0, reference: date = REFERENCE_DATE) -> dict[str, list[Row]]:
    """The engine tables of `count` spaces (ids s00000, s00001, …), rows concatenated per table."""
    tables: dict[str, list[Row]] = {name: [] for name in SCHEMAS}
    with cyclic_gc_paused():
        for index, facts in enumerate(generate_facts(count, seed, reference)):
            for name, rows in flatten(facts, space_id=f"s{index:05d}").items():
                tables[name].extend(rows)
    return tables

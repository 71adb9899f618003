"""The hosting-proposal spec: pydantic models of every module of a 托管方案.

The model checks structure and types (every quantity has its unit, every key is known). Whether a
clause is complete enough to enforce is the linter's job, so optional details stay optional here.
"""


import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .metrics import METRICS
from .quantities import Count, Duration, Money, Percent, Rating, Threshold

SPEC_VERSION = 1


def _aliased(mapping: dict[str, str], description: str) -> Any:
    """A Literal of every accepted spelling (English key or Chinese alias), normalised to the key."""
    values = tuple(mapping)
    return Annotated[Literal[values], AfterValidator(mapping.__getitem__), Field(description=description)]  # type: ignore[valid-type]


def _with_self(keys: list[str], aliases: dict[str, str]) -> dict[str, str]:
    out = {k: k for k in keys}
    out.update(aliases)
    return out


PARTY_ALIASES = _with_self(
    ["merchant", "agency", "platform", "customer", "warehouse", "third_party", "both"],
    {"商家": "merchant", "卖家": "merchant", "甲方": "merchant", "托管方": "agency", "代运营": "agency",
     "乙方": "agency", "平台": "platform", "客户": "customer", "买家": "customer", "仓库": "warehouse",
     "第三方": "third_party", "双方": "both"},
)
PARTY_NAMES = {"merchant": "商家（甲方）", "agency": "托管方（乙方）", "platform": "平台", "customer": "客户",
               "warehouse": "仓库", "third_party": "第三方", "both": "双方"}
if TYPE_CHECKING:
    Party = str
else:
    Party = _aliased(PARTY_ALIASES, "一方：merchant/商家、agency/托管方、platform/平台、customer/客户、warehouse/仓库")
DATA_SOURCE_ALIASES = _with_self(
    ["merchant", "agency", "platform", "shared"],
    {"商家": "merchant", "商家数据": "merchant", "托管方": "agency", "托管方数据": "agency", "平台": "platform",
     "平台后台": "platform", "平台数据": "platform", "共享表格": "shared", "双方共享表格": "shared"},
)
DATA_SOURCE_NAMES = {"merchant": "商家提供的数据", "agency": "托管方提供的数据", "platform": "平台后台数据",
                     "shared": "双方共享表格"}
if TYPE_CHECKING:
    DataSource = str
else:
    DataSource = _aliased(DATA_SOURCE_ALIASES, "以谁的数据为准：platform/平台后台、merchant/商家、agency/托管方、shared/共享表格")
PERIOD_ALIASES = _with_self(
    ["daily", "weekly", "monthly", "quarterly"],
    {"每日": "daily", "每天": "daily", "日": "daily", "每周": "weekly", "周": "weekly", "每月": "monthly",
     "月": "monthly", "自然月": "monthly", "每季度": "quarterly", "季度": "quarterly"},
)
PERIOD_NAMES = {"daily": "每日", "weekly": "每周", "monthly": "每月", "quarterly": "每季度"}
if TYPE_CHECKING:
    Period = str
else:
    Period = _aliased(PERIOD_ALIASES, "周期：daily/每日、weekly/每周、monthly/每月、quarterly/每季度")
Comparator = Annotated[
    Literal["<=", ">=", "<", ">", "=", "≤", "≥"],
    AfterValidator(lambda v: {"≤": "<=", "≥": ">="}.get(v, v)),
    Field(description="比较符：<=（不超过）、>=（不低于）、<、>、="),
]
COMPARATOR_WORDS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "=": "="}

Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", description="条款编号，如 SLA-1，用于结算单引用")]


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


# --- parties and term ---------------------------------------------------------------------------


class Contact(Node):
    name: Text = Field(description="联系人姓名")
    role: str | None = Field(None, description="职务，如 项目主管")
    phone: str | None = Field(None, description="电话")
    wechat: str | None = Field(None, description="微信号")
    email: str | None = Field(None, description="邮箱")


class PartyInfo(Node):
    name: Text = Field(description="名称（公司或个体工商户全称）")
    store: str | None = Field(None, description="店铺名称")
    platform: str | None = Field(None, description="平台，如 淘宝、天猫、京东、拼多多、抖音小店")
    contacts: list[Contact] = Field(default_factory=list, description="联系人")


class Parties(Node):
    merchant: PartyInfo = Field(description="商家（甲方）")
    agency: PartyInfo = Field(description="托管方（乙方）")


class Term(Node):
    start: dt.date = Field(description="开始日期，YYYY-MM-DD")
    end: dt.date = Field(description="结束日期，YYYY-MM-DD")


# --- goals and scope ----------------------------------------------------------------------------


class Goal(Node):
    id: Id | None = None
    metric: Text = Field(description="目标指标，如 投诉率")
    baseline: Threshold = Field(description="现状，如 10%")
    comparator: Comparator = "<="
    target: Threshold = Field(description="目标值，如 5%")
    by: Duration | dt.date = Field(description="期限：合作开始后多久（如 3个月）或日期")
    data_source: DataSource | None = None


class ServiceHours(Node):
    days: str = Field("每天", description="服务日，如 每天、工作日、周一至周六")
    start: str = Field(pattern=r"^\d{1,2}:\d{2}$", description="开始时间，如 09:00")
    end: str = Field(pattern=r"^\d{1,2}:\d{2}$", description="结束时间，如 22:00；24:00 表示全天")
    outside_hours: str | None = Field(None, description="服务时间外的消息如何处理，如 次日 09:30 前首次回复")

    @property
    def minutes(self) -> int:
        def to_min(t: str) -> int:
            h, m = t.split(":")
            return int(h) * 60 + int(m)

        return to_min(self.end) - to_min(self.start)


class ServiceItem(Node):
    name: Text = Field(description="服务项目")
    description: str | None = Field(None, description="具体内容、频次与数量")


def _item(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


ServiceItemLike = Annotated[ServiceItem, Field(description="服务项目：字符串，或 {name, description}")]


class Scope(Node):
    service_hours: ServiceHours = Field(description="服务时间")
    basic: list[ServiceItemLike] = Field(min_length=1, description="基础服务")
    value_added: list[ServiceItemLike] = Field(default_factory=list, description="增值服务")
    exclusions: list[Text] = Field(default_factory=list, description="不包含的服务（免责/排除项）")

    @model_validator(mode="before")
    @classmethod
    def _strings_as_items(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("basic", "value_added"):
                if isinstance(data.get(key), list):
                    data = {**data, key: [_item(v) for v in data[key]]}
        return data


# --- service standards and remedies -------------------------------------------------------------


class RemedyBase(Node):
    cap: Money | Percent | None = Field(None, description="本条扣款上限：金额或月服务费的百分比")


class FixedPerBreach(RemedyBase):
    type: Literal["fixed_per_breach"] = Field(description="每违约一次扣固定金额")
    amount: Money = Field(description="每次扣款金额，如 50元")


class PercentOfFee(RemedyBase):
    type: Literal["percent_of_fee"] = Field(description="未达标扣当月服务费的固定比例")
    percent: Percent = Field(description="扣减比例，如 10%")


class PercentPerPoint(RemedyBase):
    type: Literal["percent_per_point"] = Field(description="每低于（或高于）标准 1 个百分点/1 分扣服务费的比例")
    percent: Percent = Field(description="每个百分点扣减比例，如 2%")
    step: Percent | Rating | None = Field(None, description="每档的宽度，默认 1%（评分为 0.1分）")


class FeeWaiver(RemedyBase):
    type: Literal["fee_waiver"] = Field(description="免除当月服务费")


Remedy = Annotated[
    FixedPerBreach | PercentOfFee | PercentPerPoint | FeeWaiver,
    Field(discriminator="type", description="未达标处理（可计算）"),
]


def _threshold_for_metric(value: Any, info: ValidationInfo) -> Any:
    """The threshold's unit must be the metric's (a response time in minutes, a rate in %), and a rate of
    tickets or orders cannot lie outside 0%–100%."""
    key = info.data.get("metric")
    metric = METRICS.get(key) if isinstance(key, str) else None
    if metric is None or metric.key == "custom":
        return value
    if not isinstance(value, metric.kind):
        raise PydanticCustomError(
            "threshold_kind",
            "指标 {metric}（{name}）的标准值应为{kind}，而不是 {value}",
            {"metric": key, "name": metric.name, "kind": metric.kind.DESCRIPTION.split("，")[0], "value": str(value)},
        )
    if metric.share and isinstance(value, Percent) and value.value > 100:
        raise PydanticCustomError(
            "threshold_share",
            "指标 {metric}（{name}）是占比，标准值应在 0%–100% 之间，而不是 {value}",
            {"metric": key, "name": metric.name, "value": str(value)},
        )
    return value


class Standard(Node):
    id: Id = Field(description="条款编号，如 SLA-1")
    name: Text = Field(description="指标名称，如 首次响应时间")
    metric: Literal[tuple(METRICS)] = Field(  # type: ignore[valid-type]
        description="指标类型：" + "、".join(f"{k}（{m.name}）" for k, m in METRICS.items())
    )
    comparator: Comparator
    threshold: Threshold = Field(description="标准值，带单位")
    within: Duration | None = Field(None, description="解决率类指标的时限，如 24小时内解决")
    window: Period | None = Field(None, description="统计周期，如 每月")
    measured_by: str | None = Field(None, description="统计口径：怎么统计、抽样方法")
    data_source: DataSource | None = None
    service_hours_only: bool = Field(True, description="是否只统计服务时间内的消息")
    remedy: Remedy | None = None

    _threshold_matches_metric = field_validator("threshold")(_threshold_for_metric)


# --- processes and responsibilities -------------------------------------------------------------


class Step(Node):
    actor: Party
    action: Text = Field(description="动作")
    deadline: Duration | None = Field(None, description="时限，如 10分钟、24小时")
    after: str | None = Field(None, description="计时起点，如 客户申请退货后、仓库签收后")


class Process(Node):
    id: Id | None = None
    name: Text = Field(description="流程名称，如 退货流程")
    steps: list[Step] = Field(min_length=1, description="按顺序的步骤")


class SharedTask(Node):
    task: Text
    lead: Party = Field(description="主导方")
    support: Party | None = Field(None, description="配合方")


class Responsibilities(Node):
    merchant: list[Text] = Field(min_length=1, description="商家责任")
    agency: list[Text] = Field(min_length=1, description="托管方责任")
    shared: list[SharedTask] = Field(default_factory=list, description="需双方配合的事项，写明谁主导、谁配合")
    chat_log_retention: Duration | None = Field(None, description="聊天记录保存期限，如 3个月")


class Disputes(Node):
    negotiation: Duration | None = Field(None, description="协商期限，如 7天")
    evidence: list[Text] = Field(default_factory=list, description="认定依据，如 聊天记录、平台规则")
    venue: str | None = Field(None, description="协商不成的解决方式：仲裁委员会或法院")


# --- fees and settlement ------------------------------------------------------------------------


class ProfitShare(Node):
    percent: Percent = Field(description="分成比例，如 15%")
    basis: Text = Field(description="分成基数，如 月度利润、超出基准的销售额增长部分")
    above: Percent | Money | None = Field(None, description="起算门槛，如 增长超过 50% 的部分")


class PrepayDiscount(Node):
    period: Literal["quarterly", "half_yearly", "yearly", "季付", "半年付", "年付"] = Field(description="预付周期")
    rate: Percent = Field(description="折扣后应付比例，如 95%（即 9.5 折）")


class Settlement(Node):
    day: int = Field(ge=1, le=31, description="每月结算日（1–28）")
    data_source: DataSource = Field(description="结算以谁的数据为准")
    trigger: str | None = Field(None, description="结算触发条件，如 商家确认月报后")
    payment_within: Duration | None = Field(None, description="触发后付款期限，如 3个工作日")


class LatePayment(Node):
    rate: Percent = Field(description="滞纳金比例，如 0.05%")
    per: Literal["day", "日", "每日"] = Field("day", description="计息周期")


class Fees(Node):
    model: Literal["fixed", "per_ticket", "base_plus_share"] = Field(
        description="计费模式：fixed 固定月费；per_ticket 基础费 + 按单；base_plus_share 基础费 + 分成"
    )
    monthly_fee: Money | None = Field(None, description="固定月服务费（fixed）")
    base_fee: Money | None = Field(None, description="基础费（per_ticket、base_plus_share）")
    per_ticket: Money | None = Field(None, description="每处理 1 单售后的费用（per_ticket）")
    share: ProfitShare | None = Field(None, description="分成（base_plus_share）")
    prepay_discounts: list[PrepayDiscount] = Field(default_factory=list)
    deposit: Money | Percent | None = Field(
        None, description="定金：金额或合同总额的比例，不超过合同总额的 20%（《民法典》第五百八十六条）"
    )
    settlement: Settlement
    late_payment: LatePayment | None = None
    expenses: str | None = Field(None, description="推广费等其他费用的承担方式，如 推广费实报实销，单笔超过 2000元 须商家书面确认")

    @model_validator(mode="after")
    def _model_fields(self) -> "Fees":
        need = {"fixed": ["monthly_fee"], "per_ticket": ["base_fee", "per_ticket"],
                "base_plus_share": ["base_fee", "share"]}[self.model]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise PydanticCustomError(
                "fee_model", "计费模式 {model} 须写明：{fields}", {"model": self.model, "fields": "、".join(missing)}
            )
        return self


class Deductions(Node):
    cap: Percent = Field(description="当月扣款总额上限（占当月服务费的比例），如 30%")
    notes: str | None = None


# --- trial, communication, reporting ------------------------------------------------------------


class Condition(Node):
    metric: Literal[tuple(METRICS)] = Field(description="指标")  # type: ignore[valid-type]
    name: str | None = None
    comparator: Comparator
    threshold: Threshold

    _threshold_matches_metric = field_validator("threshold")(_threshold_for_metric)


class Trial(Node):
    length: Duration = Field(description="试运营期长度，如 1个月")
    exit_if_not_met: list[Condition] = Field(min_length=1, description="试运营期末未达到这些标准时，商家可无条件解约")
    fee_on_exit: Percent = Field(description="解约时应付服务费比例，如 80%")


class Review(Node):
    cadence: Period
    when: Text = Field(description="时间，如 每周一 15:00")
    duration: Duration | None = None
    format: str | None = Field(None, description="形式，如 腾讯会议")


class Communication(Node):
    channel: Text = Field(description="固定沟通渠道，如 微信群（商家负责人 + 托管项目主管）")
    hours: Text = Field(description="沟通时间，如 工作日 9:00-18:00")
    reply_within: Duration | None = Field(None, description="工作群消息回复时限")
    merchant_reply_within: Duration | None = Field(None, description="商家答复托管方需求的时限，如 72小时")
    reviews: list[Review] = Field(default_factory=list, description="复盘会")


class Report(Node):
    name: Text
    frequency: Period
    due: str = Field(pattern=r"\d", description="提交时间，须含具体时间，如 每周五 18:00 前")
    content: list[Text] = Field(default_factory=list)


class KnowledgeBase(Node):
    provided_by: Party = Field(description="资料提供方")
    maintained_by: Party = Field(description="维护方")
    update_within: Duration | None = Field(None, description="新品或政策变更后更新时限")
    must_answer_from_kb: bool = Field(True, description="客服须按知识库回复")
    liability: str | None = Field(None, description="擅自回复导致纠纷的责任")


class Emergency(Node):
    event: Text = Field(description="突发情况，如 断货、平台处罚")
    steps: list[Step] = Field(min_length=1)


class Handover(Node):
    items: list[Text] = Field(min_length=1, description="交接内容")
    within: Duration = Field(description="交接时限")
    close_sub_accounts: bool = True


class Termination(Node):
    notice: Duration = Field(description="提前通知期，如 15天")
    conditions: list[Text] = Field(default_factory=list, description="可提前解约的情形")
    handover: Handover


class Emphasis(Node):
    text: Text = Field(description="条款正文")
    title: str | None = None


def _emphasis(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ({"text": v} if isinstance(v, str) else v) for k, v in value.items()}
    return value


# --- the proposal -------------------------------------------------------------------------------


class Spec(Node):
    version: Literal[1] = Field(description="规格格式版本，当前为 1")
    title: Text = Field(description="方案标题")
    category: Text = Field(description="类目：apparel、3c、food、home、beauty 或合同仓库自定义类目")
    parties: Parties
    term: Term
    goals: list[Goal] = Field(default_factory=list, description="目标：现状 → 目标值，期限")
    scope: Scope
    standards: list[Standard] = Field(min_length=1, description="服务标准（SLA）")
    processes: list[Process] = Field(default_factory=list, description="流程规范")
    responsibilities: Responsibilities
    disputes: Disputes | None = None
    fees: Fees
    deductions: Deductions | None = None
    trial: Trial | None = None
    communication: Communication | None = None
    reporting: list[Report] = Field(default_factory=list, description="日报、周报、月报")
    knowledge_base: KnowledgeBase | None = None
    emergencies: list[Emergency] = Field(default_factory=list, description="突发情况处理")
    termination: Termination | None = None
    emphasis: dict[str, Emphasis] = Field(default_factory=dict, description="类目重点条款：键为类目文件中的条款键")

    @model_validator(mode="before")
    @classmethod
    def _emphasis_strings(cls, data: Any) -> Any:
        if isinstance(data, dict) and "emphasis" in data:
            data = {**data, "emphasis": _emphasis(data["emphasis"])}
        return data


__all__ = [
    "COMPARATOR_WORDS", "DATA_SOURCE_NAMES", "PARTY_NAMES", "PERIOD_NAMES", "SPEC_VERSION", "Count", "Duration",
    "Money", "Percent", "Rating", "Spec", "Standard",
]

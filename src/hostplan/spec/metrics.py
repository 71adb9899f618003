"""The catalogue of measurable service metrics: one place that names each metric, its unit kind and
how a breach is counted. The model checks thresholds against it; metrics and settle compute from it."""

from __future__ import annotations

from dataclasses import dataclass

from .quantities import Count, Duration, Percent, Rating, _Quantity


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    kind: type[_Quantity]
    per_ticket: bool  # True: each ticket over the threshold is one breach; False: one monthly figure
    description: str

    @property
    def share(self) -> bool:
        """A rate of tickets or orders: its figures lie within 0%–100% (custom metrics may be growth figures)."""
        return self.kind is Percent


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("first_response_time", "首次响应时间", Duration, True, "客户发起咨询到客服首次人工回复的时长"),
        Metric("complex_response_time", "复杂问题答复时间", Duration, True, "需核实的复杂问题给出处理方案的时长"),
        Metric("refund_review_time", "退款审核时间", Duration, True, "客户提交退款申请到审核完成的时长"),
        Metric("resolution_time", "售后完结时间", Duration, True, "售后申请到完结的时长"),
        Metric("resolution_rate", "投诉解决率", Percent, False, "在约定时限（within）内解决的投诉占比"),
        Metric("satisfaction_rate", "客户满意度（好评率）", Percent, False, "抽查或评价中好评的占比"),
        Metric("complaint_rate", "投诉率", Percent, False, "投诉工单数占当月订单数的比例"),
        Metric("escalation_rate", "平台介入率", Percent, False, "升级到平台处理的工单占比"),
        Metric("platform_escalations", "因托管方过错被投诉到平台的次数", Count, True, "因托管方过错升级到平台的工单数"),
        Metric("store_rating", "店铺评分", Rating, False, "平台月度店铺服务评分"),
        Metric("custom", "自定义指标", _Quantity, False, "其他可量化指标（如主图点击率），须写明统计口径"),
    )
}

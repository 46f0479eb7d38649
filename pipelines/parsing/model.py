"""The parsed report: identification fields, canonical metrics, findings, and its JSON record."""

from __future__ import annotations

from dataclasses import dataclass, field

# How far a value can be trusted: an arithmetic check of the report's own tables or figures
# confirmed it; one unambiguous sentence or cell states it; or it was read but a check failed.
CONFIRMED, STATED, UNCONFIRMED = "confirmed", "stated", "unconfirmed"
CONFIDENCE_ORDER = {UNCONFIRMED: 0, STATED: 1, CONFIRMED: 2}


@dataclass
class Metric:
    """One stated value: scope ('whole' or 'own'), canonical name, value, unit, source span,
    how far it is trusted (`confidence`) and the arithmetic rule that confirmed it (`check`)."""

    scope: str
    metric: str
    value: float | int
    unit: str
    evidence: str
    confidence: str = STATED
    check: str | None = None
    # Summed by the parser from other values (a category from its sub-rows), not read as such.
    derived: bool = field(default=False, compare=False)

    def to_dict(self) -> dict:
        """The metric as a JSON-ready dict (integral floats become ints)."""
        value = self.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return {
            "scope": self.scope,
            "metric": self.metric,
            "value": value,
            "unit": self.unit,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "check": self.check,
        }


@dataclass(frozen=True)
class Finding:
    """A contradiction the parser saw in the report and resolved: its code, what it chose, where."""

    code: str
    message: str
    evidence: str

    def to_dict(self) -> dict:
        """The finding as a JSON-ready dict."""
        return {"code": self.code, "message": self.message, "evidence": self.evidence}


@dataclass
class Report:
    """What one 年报 says: who issued it, for which year, under which template, and its metrics."""

    region: str | None
    region_code: str | None
    province: str | None
    province_code: str | None
    level: str | None
    report_year: int | None
    publication_date: str | None
    template: str
    issuer: str | None
    metrics: list[Metric] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_record(self, file: str) -> dict:
        """The JSON contract record for this report, read from `file`."""
        return {
            "file": file,
            "region": self.region,
            "region_code": self.region_code,
            "province": self.province,
            "province_code": self.province_code,
            "level": self.level,
            "report_year": self.report_year,
            "publication_date": self.publication_date,
            "template": self.template,
            "issuer": self.issuer,
            "metrics": [m.to_dict() for m in self.metrics],
            "findings": [f.to_dict() for f in self.findings],
        }

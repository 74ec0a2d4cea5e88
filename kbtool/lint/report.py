"""The JSON shape of ``kbtool lint --format json`` (schema: ``schema/lint-report.schema.json``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, RootModel

from kbtool.lint.problem import Problem, Severity


class FixRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str
    start: int = Field(ge=0, description="Character offset in the file where the edit starts.")
    end: int = Field(ge=0)
    replacement: str


class ProblemRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    path: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    code: str = Field(pattern=r"^KB[0-9]{3}$")
    name: str
    severity: Severity
    message: str
    fix: FixRecord | None = None


class LintReport(RootModel[list[ProblemRecord]]):
    """A list of problems, in path and line order."""

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> LintReport:
        return cls(
            [
                ProblemRecord(
                    path=p.path,
                    line=p.line,
                    column=p.column,
                    code=p.code,
                    name=p.name,
                    severity=p.severity,
                    message=p.message,
                    fix=FixRecord(
                        description=p.fix.description,
                        start=p.fix.start,
                        end=p.fix.end,
                        replacement=p.fix.replacement,
                    )
                    if p.fix
                    else None,
                )
                for p in problems
            ]
        )

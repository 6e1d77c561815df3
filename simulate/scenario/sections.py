"""The strict base model every scenario section derives from."""

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """Strict base: unknown keys are errors, strings are never silently turned into numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)

"""The lifecycle engine of DESIGN §4: stages, policies (two presets and custom ones), standing."""

from .engine import evaluate, evaluate_window, notice_due
from .model import (
    EXPIRY,
    LOCK,
    Banner,
    BannerLevel,
    Dismissal,
    LockAction,
    Mode,
    Phase,
    Recipient,
    Stage,
    Standing,
)
from .policy import APPLIANCE, SUBSCRIPTION, Policy, PolicyBuilder, Reminder
from .zones import Zone, zone

__all__ = [
    "APPLIANCE",
    "EXPIRY",
    "LOCK",
    "SUBSCRIPTION",
    "Banner",
    "BannerLevel",
    "Dismissal",
    "LockAction",
    "Mode",
    "Phase",
    "Policy",
    "PolicyBuilder",
    "Recipient",
    "Reminder",
    "Stage",
    "Standing",
    "Zone",
    "evaluate",
    "evaluate_window",
    "notice_due",
    "zone",
]

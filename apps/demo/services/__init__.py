"""What only a demo or a benchmark needs, one module per concern:

- accounts.py    demo departments, lead departments and accounts; the city viewer
- simulation.py  the one simulator of a plan's year (plain states, no queries)
- activity.py    the demo's made-up progress, written as rows
- current.py     the demonstration plan of the current year (a seed moved to this year)
- city.py        the synthetic city for the benchmarks
- supervision.py owners, a 催办 and this week's reminders for the demo accounts
"""

from apps.demo.services.accounts import (
    city_viewer_create,
    demo_accounts_create,
    demo_departments_assign,
    demo_password,
)
from apps.demo.services.activity import demo_activity_create
from apps.demo.services.city import CityGenerator
from apps.demo.services.current import demo_current_plan_create
from apps.demo.services.supervision import demo_supervision_create

__all__ = [
    "CityGenerator",
    "city_viewer_create",
    "demo_accounts_create",
    "demo_activity_create",
    "demo_current_plan_create",
    "demo_departments_assign",
    "demo_password",
    "demo_supervision_create",
]

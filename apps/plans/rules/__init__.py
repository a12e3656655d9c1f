"""The rules a user can see, each written once, in plain Python (no Django):

- `vocabulary`: the stored codes of statuses, traffic lights and comparators and their
  Chinese labels;
- `progress`: 序时进度, the traffic light of tasks and indicators, overdue, the parent
  roll-up and the forecast;
- `rollup`: a plan's numbers on one day, from plain states;
- `themes`: which theme a task belongs to.

Services read rows, call these and store the result; filters, table columns, charts,
exports, jobs and the demo generators call them too, and none restates them.
"""

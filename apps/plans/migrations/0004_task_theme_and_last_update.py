"""Fill the new Task.theme and Task.last_update_at for tasks imported before they existed.

The theme rule is frozen here as it stood when this migration was written: a migration
must give the same result whenever it runs, so it imports no live code (the live rule is
apps/plans/rules/themes.py and may change after this).
"""

from django.db import migrations
from django.db.models import Max, OuterRef, Subquery

# fmt: off
THEME_WORDS = [
    ('party', ('党建', '党组织', '党员', '党委', '支部', '廉政', '廉洁', '主题教育', '意识形态', '干部队伍', '两新组织', '从严治党', '纪检', '作风')),
    ('economy', ('营商', '经济', '招商', '企业', '税收', '楼宇', '产业', '市场主体', '稳商', '安商', '投资', '商务', '区域经济', '亿元', '商圈')),
    ('renewal', ('旧改', '旧区改造', '城市更新', '加装电梯', '美丽家园', '架空线', '精品小区', '道路', '绿化', '市容', '违建', '违法建筑', '环境整治', '拆除', '15分钟社区生活圈', '生活圈', '垃圾分类', '河道', '公园', '停车')),
    ('livelihood', ('养老', '助老', '为老', '适老化', '长者', '老年', '就业', '社保', '医疗', '卫生', '健康', '救助', '帮困', '残疾', '助残', '托育', '教育', '民生', '便民', '家门口', '社区食堂', '助餐', '服务站', '退役军人', '优抚')),
    ('governance', ('治理', '自治', '共治', '居委', '居民区', '社区工作者', '社工', '志愿', '网格', '12345', '诉求', '物业', '业委会', '议事', '数字化', '一网统管', '一网通办', '楼组', '社会组织', '人民建议')),
    ('safety', ('安全', '平安', '消防', '防汛', '防台', '应急', '隐患', '矛盾纠纷', '调解', '信访', '综治', '治安', '禁毒', '反诈', '电信诈骗', '生产安全', '疫情防控')),
    ('culture', ('文化', '文明', '文体', '体育', '健身', '阅读', '精神文明', '文明实践', '非遗', '红色', '宣传', '文艺', '全民健身')),
    ('government', ('政府自身建设', '政府能力', '政府职能', '依法行政', '依法施政', '法治政府', '服务型政府', '政务', '行政效能', '人才队伍')),
]
# fmt: on
TITLE_WEIGHT = 3


def theme_for(title, text, parent_theme=None):
    scores = {}
    for code, words in THEME_WORDS:
        score = sum(TITLE_WEIGHT * title.count(w) + text.count(w) for w in words)
        if score:
            scores[code] = score
    if not scores:
        return parent_theme or "other"
    order = {code: i for i, (code, _words) in enumerate(THEME_WORDS)}
    return max(scores, key=lambda code: (scores[code], -order[code]))


def fill(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    TaskUpdate = apps.get_model("plans", "TaskUpdate")
    tasks = list(Task.objects.order_by("plan_id", "path"))
    themes = {}
    for task in tasks:
        task.theme = theme_for(task.title, task.text, themes.get(task.parent_id))
        themes[task.pk] = task.theme
    Task.objects.bulk_update(tasks, ["theme"], batch_size=500)
    latest = (
        TaskUpdate.objects.filter(task=OuterRef("pk"))
        .values("task")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    Task.objects.update(last_update_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_progress_rollups_snapshots_reports")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

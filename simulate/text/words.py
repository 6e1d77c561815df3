"""The words of reports and figures in English and Japanese (indicator labels live in the registry,
:mod:`simulate.indicators`)."""

from __future__ import annotations

import textwrap

WORDS: dict[str, tuple[str, str]] = {
    # report sections
    "story": ("The quiet crisis in this scenario's numbers", "このシナリオの数字で見る「静かなる有事」"),
    "headline": ("Headline outcomes", "主要な結果"),
    "seed": ("The White Paper's figures and this scenario", "白書の数値とこのシナリオ"),
    "targets": ("Targets", "目標"),
    "participation": ("Participation by age", "年齢別の労働力率"),
    "figures": ("Figures", "図"),
    "assumptions": ("Assumptions", "前提条件"),
    "assumptions_open": ("Show every setting (resolved, including inherited values)",
                         "すべての設定を表示（継承した値を含む）"),
    "sources": ("Data sources and licences", "データの出典とライセンス"),
    "metadata": ("Run metadata", "実行情報"),
    "indicator": ("indicator", "指標"),
    "setting": ("setting", "設定"),
    "value": ("value", "値"),
    "figure": ("figure", "数値"),
    "published": ("White Paper", "白書"),
    "this_scenario": ("this scenario", "このシナリオ"),
    "difference": ("difference", "差"),
    "target": ("target", "目標"),
    "achieved": ("achieved", "結果"),
    "status": ("status", "判定"),
    "met": ("met", "達成"),
    "notice": ("Note", "注意"),
    "what_if": ("What-if: set on top of the scenario's files", "変更した前提（シナリオファイルに上書き）"),
    "not_met": ("not met", "未達"),
    "scenario": ("scenario", "シナリオ"),
    "title": ("title", "タイトル"),
    "comparison": ("Scenario comparison", "シナリオの比較"),
    "outcomes_in": ("Outcomes in", "主要な結果："),
    "age_group": ("age group", "年齢階級"),
    "men": ("M", "男"),
    "women": ("W", "女"),
    "participation_note": ("Participation rate, % (M men, W women); labour.csv has population, labour force, "
                           "employed and hours by group.",
                           "労働力率（%、男＝男性、女＝女性）。labour.csv に年齢階級別の人口・労働力・就業者・"
                           "労働時間があります。"),
    "also_png": ("also", "PNG:"),
    # figures
    "fig_population": ("Population by age group", "年齢3区分別人口"),
    "fig_pyramids": ("Population pyramids", "人口ピラミッド"),
    "fig_dependency": ("Dependency", "扶養負担"),
    "fig_labour": ("Labour", "労働"),
    "fig_economy": ("Output and productivity", "生産と生産性"),
    "fig_backcast": ("Backcast", "バックキャスト"),
    "fig_compared": ("Scenarios compared", "シナリオの比較"),
    "fig_outcomes": ("Outcomes in", "主要な結果："),
    "total": ("Total", "総数"),
    "white_paper": ("White Paper figures", "白書の数値"),
    "observed": ("observed", "実績"),
    "age_axis": ("age (years; 100 = 100+)", "年齢（歳、100＝100歳以上）"),
    "pyramid_axis": ("thousand persons (males left, females right)", "千人（左：男性、右：女性）"),
    "two_percent": ("productivity +2 %/yr", "生産性 年2 %増"),
    "target_2037": ("1.5× by 2037 target", "2037年に1.5倍の目標"),
    "without_lever": ("without the lever", "施策なし"),
    "with": ("with", "施策あり："),
    "target_mark": ("target", "目標"),
    "sixty_million": ("60 M", "6,000万人"),
}


def word(key: str, lang: str) -> str:
    """The word or phrase ``key`` in ``lang`` (``en`` or ``ja``)."""
    en, ja = WORDS[key]
    return ja if lang == "ja" else en


def short_labels(texts: list[str], names: list[str], width: int = 60) -> list[str]:
    """Labels of at most about ``width`` characters that tell ``texts`` apart (legends).

    Each text is cut at a word with '…'; texts that then read the same keep their beginning and
    their end ('Current (2020 census, obs…after) + migration.net=300000'), where titles of
    what-ifs differ; texts that still read the same end in their ``names`` (unique by rule)."""
    def cut(text: str) -> str:
        return textwrap.shorten(text, width, placeholder="…")

    def ends(text: str) -> str:
        if len(text) <= width:
            return text
        head = width // 3
        return text[:head].rstrip() + "…" + text[len(text) - (width - head - 1):].lstrip()

    labels = [cut(t) for t in texts]
    for step in (ends, lambda t: t):
        counts = {label: labels.count(label) for label in labels}
        for i, text in enumerate(texts):
            if counts[labels[i]] > 1:
                labels[i] = step(text) if step is ends else (
                    textwrap.shorten(text, max(width - len(names[i]) - 3, 12), placeholder="…") + f" [{names[i]}]")
    return labels

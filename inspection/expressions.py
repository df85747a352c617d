"""Severe errors (严重错别字、固定表述错误): an editable list of wrong → right expressions, matched with one
Aho-Corasick automaton per run (pyahocorasick), so a page is read once whatever the size of the list."""

from __future__ import annotations

import hashlib

import ahocorasick

# A starter list of well-known wrong forms of fixed political and administrative expressions, as
# published by provincial checks; the bureau edits the list in the admin (ExpressionRule).
STARTER_LIST = [
    ("中国特色社会注意", "中国特色社会主义"),
    ("社会注意核心价值观", "社会主义核心价值观"),
    ("全面从严冶党", "全面从严治党"),
    ("依法冶国", "依法治国"),
    ("两个惟护", "两个维护"),
    ("四个自信心", "四个自信"),
    ("惯彻落实", "贯彻落实"),
    ("贯切落实", "贯彻落实"),
    ("布署", "部署"),
    ("脱贫功坚", "脱贫攻坚"),
    ("乡村震兴", "乡村振兴"),
    ("营商坏境", "营商环境"),
    ("招商引姿", "招商引资"),
    ("国务院办工厅", "国务院办公厅"),
    ("人民代表打会", "人民代表大会"),
    ("政治协商会义", "政治协商会议"),
    ("实时求是", "实事求是"),
    ("再接再励", "再接再厉"),
    ("一如继往", "一如既往"),
    ("按步就班", "按部就班"),
    ("迫不急待", "迫不及待"),
    ("高质量发屐", "高质量发展"),
]


class ExpressionMatcher:
    """Finds the wrong expressions of a list in a text; `version` changes when the list does (the page
    cache keys on it, so an edited list re-reads every page)."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = {wrong: right for wrong, right in pairs if wrong}
        self.version = hashlib.sha1("\n".join(f"{w}\t{r}" for w, r in sorted(self.pairs.items())).encode()).hexdigest()[:12]
        self.automaton = None
        if self.pairs:
            self.automaton = ahocorasick.Automaton()
            for wrong, right in self.pairs.items():
                self.automaton.add_word(wrong, (wrong, right))
            self.automaton.make_automaton()

    def find(self, text: str) -> list[dict]:
        """Each wrong expression found, once, with its correction and a little context."""
        if self.automaton is None:
            return []
        found: dict[str, dict] = {}
        for end, (wrong, right) in self.automaton.iter(text):
            if wrong not in found:
                start = end - len(wrong) + 1
                found[wrong] = {"wrong": wrong, "right": right, "context": text[max(0, start - 15) : end + 16]}
        return list(found.values())

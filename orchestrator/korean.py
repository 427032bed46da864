"""Korean text for goal messages: numbers as the messages print them, particles and endings whose form depends on
the word before them, and statements joined or turned into what must hold."""

from __future__ import annotations

import re


def pct(fraction: float) -> str:
    """0.125 -> "12.5%", 0.05 -> "5%"."""
    text = f"{fraction * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def num(value: float) -> str:
    """A count or rate without a needless ".0"."""
    return f"{value:g}" if isinstance(value, float) else str(value)


_DIGIT_BATCHIM = set("013678")  # 영 일 삼 육 칠 팔 end in a consonant; 이 사 오 구 do not


def batchim(word: str) -> bool:
    """Whether ``word`` is read with a final consonant, which picks a particle's form (이다/다, 이어야/여야).
    Hangul and digits are judged exactly; a trailing "(Secret)" is skipped (the particle goes with the Korean
    word before it); anything else (%, letters) counts as a vowel ending."""
    word = re.sub(r"\s*\([^()]*\)$", "", word.rstrip())
    last = word[-1:] or "가"
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    return last in _DIGIT_BATCHIM


def ida(word: str) -> str:
    """"3개 이상" -> "3개 이상이다", "3개" -> "3개다"."""
    return word + ("이다" if batchim(word) else "다")


def ieoya(word: str) -> str:
    """"3개 이상" -> "3개 이상이어야", "3개" -> "3개여야"."""
    return word + ("이어야" if batchim(word) else "여야")


def ga(word: str) -> str:
    """Subject particle: "노드 풀" -> "노드 풀이", "디플로이먼트" -> "디플로이먼트가"."""
    return word + ("이" if batchim(word) else "가")


def euro(word: str) -> str:
    """"3개" -> "3개로", "50%" -> "50%로", "유형" -> "유형으로" (ㄹ takes 로 as a vowel does)."""
    last = word.rstrip()[-1:]
    rieul = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 == 8
    return word + ("으로" if batchim(word) and not rieul else "로")


def fewer(subject: str, n: int) -> str:
    """The negation of "{subject} n개 이상이다": "준비된 레플리카가 없다" for 1, "… 3개 미만이다" otherwise.
    ``subject`` ends with its particle, e.g. "준비된 레플리카가"."""
    return f"{subject} 없다" if n == 1 else f"{subject} {n}개 미만이다"


# --- joining statements ------------------------------------------------------------------------------
#
# Goal statements are 평어체 sentences ending in -다. To join them ("A이고 B이다", "A거나 B") or to say what
# must hold ("A여야 한다"), the last predicate is conjugated. The statements are our own, so the forms needed
# are few: the copula (이다, 아니다, and 다 contracted after a vowel: "3개다", "이하다"), 있다/없다 and other
# consonant stems (높다, 않다), the past (했다, 끝났다), and present verbs (한다, 쓴다, 않는다). A statement must
# not end in a vowel-stem adjective such as 다르다, 크다 or 충분하다: it would be read as a contracted copula.

_JONG_N, _JONG_SS = 4, 20  # final consonants ㄴ and ㅆ (jongseong index)
_V_A, _V_O, _V_EU = 0, 8, 18  # vowels ㅏ, ㅗ, ㅡ (jungseong index)


def _syllable(ch: str) -> tuple[int, int, int] | None:
    """(initial, vowel, final) indexes of a Hangul syllable, or None."""
    if not "가" <= ch <= "힣":
        return None
    code = ord(ch) - 0xAC00
    return code // 588, (code % 588) // 28, code % 28


def _compose(initial: int, vowel: int, final: int = 0) -> str:
    return chr(0xAC00 + initial * 588 + vowel * 28 + final)


def conjugate(sentence: str, ending: str) -> str:
    """A statement ending in -다 with its last predicate joined to ``ending``: "고" (and), "거나" (or) or
    "어야" (must, followed by " 한다"). "있다" -> "있고", "3개 이상이다" -> "3개 이상이거나", "3개다" -> "3개여야",
    "없다" -> "없어야", "허용한다" -> "허용해야"."""
    if not sentence.endswith("다") or len(sentence) < 2:
        raise ValueError(f"not a statement ending in -다: {sentence!r}")
    if sentence.endswith("는다"):  # 않는다: a consonant stem
        return _consonant_stem(sentence[:-2], ending)
    body, last = sentence[:-2], sentence[-2]
    parts = _syllable(last)
    if parts is None:
        raise ValueError(f"not a statement ending in -다: {sentence!r}")
    initial, vowel, final = parts
    if final == _JONG_N:  # 한다, 쓴다: the present of a vowel stem (하, 쓰)
        stem = body + _compose(initial, vowel)
        if ending != "어야":
            return stem + ending
        if stem.endswith("하"):
            return stem[:-1] + "해야"
        if vowel == _V_EU:
            return body + _compose(initial, 4) + "야"  # 쓰 -> 써
        return stem + "어야"
    if final:
        return _consonant_stem(sentence[:-1], ending)
    stem = sentence[:-1]
    if last == "이" or stem.endswith("아니"):  # 이상이다, 아니다
        return stem + ending  # 이어야, 아니어야
    # A copula contracted after a vowel: "3개다", "이하다", "상태다".
    return stem + {"고": "이고", "거나": "이거나", "어야": "여야"}[ending]


def _consonant_stem(stem: str, ending: str) -> str:
    if ending != "어야":
        return stem + ending
    _, vowel, final = _syllable(stem[-1]) or (0, 0, 0)
    bright = vowel in (_V_A, _V_O) and final != _JONG_SS  # 높아야, 않아야; but 했어야, 끝났어야
    return stem + ("아야" if bright else "어야")


def chain(sentences: list[str], ending: str) -> str:
    """Statements joined into one: ["A가 있다", "B가 없다"] with "거나" -> "A가 있거나 B가 없다". Three or more
    are separated by commas."""
    if len(sentences) == 1:
        return sentences[0]
    joined = [conjugate(s, ending) for s in sentences[:-1]] + [sentences[-1]]
    return (", " if len(sentences) > 2 else " ").join(joined)

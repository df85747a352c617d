"""The assessment engine's models: question banks and quizzes, and hands-on (practical) tasks.

Split by domain; each module's models are re-exported here so `quizzes.models.X` keeps working.
"""

from .attempts import (  # noqa: F401
    Attempt,
    AttemptStatus,
    FocusLoss,
    FocusLossKind,
    GradingMethod,
    Quiz,
    QuizSlot,
    Response,
    ReviewPolicy,
)
from .bank import CHOICE_TYPES, Choice, Question, QuestionCategory, QuestionType  # noqa: F401
from .practice import NewsPage, NewsPageTag, PracticeAreaPage, PracticeIndexPage, PracticeSectionPage, TopicPage  # noqa: E402,F401
from .tasks import (  # noqa: E402,F401
    PracticalTask,
    RubricCriterion,
    Submission,
    SubmissionStatus,
    TaskKind,
)

"""The assessment engine's models: question banks and quizzes, and hands-on (practical) tasks.

Split by domain; each module's models are re-exported here so `quizzes.models.X` keeps working.
"""

from .attempts import Attempt, AttemptStatus, GradingMethod, Quiz, QuizSlot, Response, ReviewPolicy  # noqa: F401
from .bank import CHOICE_TYPES, Choice, Question, QuestionCategory, QuestionType  # noqa: F401

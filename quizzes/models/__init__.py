"""The assessment engine's models: question banks and quizzes, and hands-on (practical) tasks.

Split by domain; each module's models are re-exported here so `quizzes.models.X` keeps working.
"""

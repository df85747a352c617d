"""The assessment engine: question banks, quizzes, attempts, hands-on tasks and their checks."""

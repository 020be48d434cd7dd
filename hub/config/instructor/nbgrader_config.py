"""nbgrader settings for the instructor's server on the course hub (JUPYTER_CONFIG_PATH points here).

The instructor's course folder is ~/course (made by `make hub` from the repository's
nbgrader_config.py and solutions/); formgrader, the course list and the command line all use it.
Its own nbgrader_config.py (the course's grading and hardening settings) is loaded on top of this
one when nbgrader runs there.
"""

import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "aipmlab"
c.CourseDirectory.root = os.path.expanduser("~/course")
c.Exchange.root = os.environ.get("AIPMLAB_EXCHANGE", "/srv/nbgrader/exchange")

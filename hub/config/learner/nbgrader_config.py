"""nbgrader settings for a learner's server on the course hub (JUPYTER_CONFIG_PATH points here).

Learners get the Assignments tab (fetch, submit, fetch feedback) and the Validate button; the
formgrader, course list and create-assignment extensions are switched off for them in
jupyter_server_config.json and labconfig/page_config.json. Hiding them is for clarity only: what
keeps a learner out of other people's work is the operating system (private home folders, the
exchange's write-only inbound folder).
"""

import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "aipmlab"
c.Exchange.root = os.environ.get("AIPMLAB_EXCHANGE", "/srv/nbgrader/exchange")

"""The web application: server-rendered pages for the complaint desk, team leaders, coaches and
managers, on the same library as the command line (which stays the only place that enforces the
policy). The interface speaks Dutch; the code stays English."""

"""Route × role rows of the core pages: home, login, logout."""

from tests.web.route_cases import Case

CASES = {
    ("GET", "/"): Case(),
    ("GET", "/inloggen"): Case(),  # logged in: 303 home
    ("POST", "/inloggen"): Case(form={"user_id": "nobody", "password": "not the password"}, allowed=(401,)),
    ("POST", "/uitloggen"): Case(),
}

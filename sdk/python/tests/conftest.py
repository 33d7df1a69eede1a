from support import ring, signing_key  # noqa: F401  (fixtures shared by every test module)

"""Users, organizations and the roles that grant them permissions."""

"""nianbao: government information-disclosure annual reports (年报) as queryable data."""

__version__ = "0.1.0"

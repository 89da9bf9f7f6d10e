"""Figures that staff and citizens can see: deflection, the staff dashboard and « Nos délais ».

- `deflection`: the one definition of a deflected search session (used by every report);
- `figures`: the selectors behind each chart, one aggregate query each;
- `views` / `admin`: the « Tableau de bord » of the Wagtail admin, its CSV exports;
- `public`: the public « Nos délais » page.
"""

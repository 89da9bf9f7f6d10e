"""The default request types: the customer service centre's four and the usual service requests.

Read by migrations 0002 (its frozen copy of the old installer) and 0013, and by
`install_default_request_types()` (`setup_portal`, tests): a French row per type and its English
translation (a translatable snippet, `forms.models.RequestType`).
"""

import uuid

# What a request type's rows share in every language (forms.models.RequestType.SHARED_FIELDS).
SHARED_FIELDS = (
    "slug",
    "category",
    "department",
    "target_business_days",
    "asks_address",
    "asks_occurred_on",
    "allows_attachments",
    "is_active",
    "sort_order",
)

DEPARTMENTS = {
    "csc": ("Centre de service aux citoyens", "Citizen Service Centre"),
    "tp": ("Direction des travaux publics", "Public Works Department"),
    "env": ("Direction de l'environnement", "Environment Department"),
    "sp": ("Direction de la sécurité publique", "Public Safety Department"),
}

# slug, category, department, business days, FR, EN, address, date, files, help FR, help EN
# (kept in this shape: migration 0002 reads it too)
TYPES = [
    (
        "question",
        "service_centre",
        "csc",
        5,
        "Question",
        "Question",
        False,
        False,
        True,
        "Une question sur un service de la ville.",
        "A question about a city service.",
    ),
    (
        "suggestion",
        "service_centre",
        "csc",
        10,
        "Suggestion",
        "Suggestion",
        False,
        False,
        True,
        "Une idée pour améliorer un service.",
        "An idea to improve a service.",
    ),
    (
        "insatisfaction",
        "service_centre",
        "csc",
        10,
        "Insatisfaction",
        "Dissatisfaction",
        False,
        True,
        True,
        "Un service ne vous a pas satisfait.",
        "A service did not satisfy you.",
    ),
    (
        "plainte",
        "service_centre",
        "csc",
        20,
        "Plainte",
        "Complaint",
        False,
        True,
        True,
        "Une plainte formelle; l'ombudsman est le dernier recours.",
        "A formal complaint; the ombudsman is the last recourse.",
    ),
    (
        "nid-de-poule",
        "service",
        "tp",
        5,
        "Nid-de-poule",
        "Pothole",
        True,
        False,
        True,
        "Signalez un nid-de-poule dans une rue ou un trottoir.",
        "Report a pothole in a street or sidewalk.",
    ),
    (
        "lampadaire",
        "service",
        "tp",
        10,
        "Lampadaire défectueux",
        "Street light out",
        True,
        False,
        True,
        "Un lampadaire éteint, qui clignote ou endommagé.",
        "A street light that is out, flickering or damaged.",
    ),
    (
        "deneigement",
        "service",
        "tp",
        2,
        "Déneigement",
        "Snow removal",
        True,
        True,
        True,
        "Une rue ou un trottoir mal déneigé.",
        "A street or sidewalk not properly cleared.",
    ),
    (
        "collecte-manquee",
        "service",
        "env",
        2,
        "Collecte manquée",
        "Missed collection",
        True,
        True,
        False,
        "Vos ordures, votre recyclage ou votre compost n'ont pas été ramassés.",
        "Your garbage, recycling or compost was not picked up.",
    ),
    (
        "bruit",
        "service",
        "sp",
        3,
        "Bruit",
        "Noise",
        True,
        True,
        False,
        "Un bruit excessif ou répété dans le voisinage.",
        "Excessive or repeated noise in the neighbourhood.",
    ),
]


def install_default_request_types(apps=None) -> None:
    """Idempotent: creates the departments and the request types in French, and their English
    translations when that locale exists (a translation already there is left as it is)."""
    if apps is None:
        from django.apps import apps
    Locale = apps.get_model("wagtailcore", "Locale")
    Department = apps.get_model("knowledge", "Department")
    RequestType = apps.get_model("requests", "RequestType")
    french, _ = Locale.objects.get_or_create(language_code="fr")
    english = Locale.objects.filter(language_code="en").first()
    departments = {}
    for key, (name_fr, name_en) in DEPARTMENTS.items():
        department = Department.objects.filter(locale=french, name__iexact=name_fr).first()
        if department is None:
            department = Department.objects.create(name=name_fr, locale=french, translation_key=uuid.uuid4())
        if (
            english
            and not Department.objects.filter(
                locale=english, translation_key=department.translation_key
            ).exists()
        ):
            Department.objects.create(
                name=name_en, locale=english, translation_key=department.translation_key
            )
        departments[key] = department
    for order, row in enumerate(TYPES):
        slug, category, dept, days, label_fr, label_en, address, date, files, help_fr, help_en = row
        request_type = RequestType.objects.filter(slug=slug, locale=french).first()
        if request_type is None:
            request_type = RequestType.objects.create(
                slug=slug,
                locale=french,
                translation_key=uuid.uuid4(),
                label=label_fr,
                help_text=help_fr,
                category=category,
                department=departments[dept],
                target_business_days=days,
                asks_address=address,
                asks_occurred_on=date,
                allows_attachments=files,
                sort_order=(order + 1) * 10,
            )
        if (
            english
            and not RequestType.objects.filter(
                locale=english, translation_key=request_type.translation_key
            ).exists()
        ):
            # The type's settings as they are now (staff may have changed them), its English text.
            shared = {name: getattr(request_type, name) for name in SHARED_FIELDS}
            RequestType.objects.create(
                locale=english,
                translation_key=request_type.translation_key,
                label=label_en,
                help_text=help_en,
                **shared,
            )

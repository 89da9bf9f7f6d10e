"""The footer's pages in every language: privacy policy (Law 25), accessibility statement
(SGQRI 008), contact. `information_pages_setup` creates the missing ones; editors own them after."""

from django.conf import settings
from django.db import transaction

from wagtail.models import Locale

from .models import HomePage, InformationPage

Purpose = InformationPage.Purpose

PAGES = {
    "fr": {
        Purpose.CONTACT: {
            "title": "Nous joindre",
            "slug": "nous-joindre",
            "intro": "Le Centre de service aux citoyens répond à vos questions, reçoit vos demandes, "
            "suggestions, insatisfactions et plaintes, et en assure le suivi auprès des directions "
            "de la Ville.",
            "body": "<p>Avant d'appeler, cherchez votre réponse : la plupart des questions y trouvent une "
            "réponse immédiate. Si elle n'y est pas, faites une demande en ligne : vous recevrez un numéro "
            "de référence pour la suivre.</p><p>Si vous êtes insatisfait du traitement de votre demande, "
            "vous pouvez demander un examen par l'ombudsman depuis la page de suivi de votre demande.</p>",
            "shows_contact": True,
        },
        Purpose.PRIVACY: {
            "title": "Politique de confidentialité",
            "slug": "confidentialite",
            "intro": "Comment la Ville protège les renseignements personnels que vous lui confiez sur ce "
            "portail, conformément à la Loi sur l'accès aux documents des organismes publics et sur la "
            "protection des renseignements personnels (Loi 25).",
            "body": "<h2>Personne responsable</h2><p>La personne responsable de la protection des "
            "renseignements personnels de la Ville est la greffière ou le greffier. Vous pouvez lui écrire "
            "à l'adresse du Centre de service aux citoyens ci-dessous.</p>"
            "<h2>Ce que nous recueillons et pourquoi</h2><ul>"
            "<li>Lorsque vous faites une demande : votre nom, votre courriel ou votre téléphone, l'adresse "
            "visée et la description, uniquement pour traiter la demande et vous tenir informé.</li>"
            "<li>Lorsque vous cherchez : les mots cherchés, sans votre adresse IP ni votre identité, pour "
            "améliorer les réponses.</li>"
            "<li>Lorsque vous votez « Cette page vous a-t-elle été utile? » : un témoin anonyme qui évite "
            "les votes en double.</li></ul>"
            "<h2>Qui y a accès</h2><p>Seul le personnel de la direction qui traite votre demande (et "
            "l'ombudsman si vous lui soumettez votre dossier) voit vos renseignements. Ils ne sont jamais "
            "vendus ni communiqués à des tiers.</p>"
            "<h2>Combien de temps</h2><p>Vos renseignements personnels sont détruits trois ans après la "
            "fermeture de votre demande; le dossier anonymisé sert aux statistiques.</p>"
            "<h2>Vos droits</h2><p>Vous pouvez demander l'accès à vos renseignements ou leur "
            "rectification en écrivant à la personne responsable. Vous pouvez porter plainte à la "
            "Commission d'accès à l'information du Québec.</p>",
        },
        Purpose.ACCESSIBILITY: {
            "title": "Déclaration d'accessibilité",
            "slug": "accessibilite",
            "intro": "La Ville veut que tous les citoyens puissent utiliser ce portail, quels que soient "
            "leurs capacités et les outils qu'ils utilisent.",
            "body": "<h2>Norme visée</h2><p>Le portail vise la conformité au standard du gouvernement du "
            "Québec sur l'accessibilité d'un site Web (SGQRI 008 2.0), qui reprend les Règles pour "
            "l'accessibilité des contenus Web (WCAG) 2.1, niveau AA. Chaque version est vérifiée avec un "
            "outil automatique (axe-core) et au clavier.</p>"
            "<h2>Ce qui fonctionne</h2><ul><li>Toutes les pages fonctionnent sans JavaScript.</li>"
            "<li>Les formulaires annoncent leurs erreurs et conservent ce que vous avez écrit.</li>"
            "<li>Les alertes sont annoncées aux lecteurs d'écran.</li></ul>"
            "<h2>Limites connues</h2><ul><li>Les documents PDF joints par certaines directions peuvent "
            "ne pas être accessibles; demandez-en une version accessible au Centre de service aux "
            "citoyens.</li></ul>"
            "<h2>Signaler un obstacle</h2><p>Si une page vous empêche d'obtenir une information ou un "
            "service, écrivez-nous ou appelez-nous : nous vous répondrons et corrigerons la page.</p>",
            "shows_contact": True,
        },
    },
    "en": {
        Purpose.CONTACT: {
            "title": "Contact us",
            "slug": "contact-us",
            "intro": "The Citizen Service Centre answers your questions, receives your requests, "
            "suggestions, dissatisfactions and complaints, and follows them up with the city's departments.",
            "body": "<p>Before calling, search for your answer: most questions are answered right away. If "
            "yours is not, make a request online: you will get a reference number to follow it.</p>"
            "<p>If you are dissatisfied with how your request was handled, you can ask the ombudsman for a "
            "review from your request's status page.</p>",
            "shows_contact": True,
        },
        Purpose.PRIVACY: {
            "title": "Privacy policy",
            "slug": "privacy",
            "intro": "How the city protects the personal information you give it on this portal, under "
            "Québec's Act respecting access to documents held by public bodies and the protection of "
            "personal information (Law 25).",
            "body": "<h2>Person in charge</h2><p>The person in charge of the protection of personal "
            "information is the city clerk. You can write to them at the Citizen Service Centre's address "
            "below.</p><h2>What we collect and why</h2><ul>"
            "<li>When you make a request: your name, your e-mail or phone, the address concerned and the "
            "description, only to handle the request and keep you informed.</li>"
            "<li>When you search: the words searched, without your IP address or identity, to improve "
            "the answers.</li><li>When you vote \u201cWas this page helpful?\u201d: an anonymous cookie "
            "that prevents double votes.</li></ul>"
            "<h2>Who sees it</h2><p>Only the staff of the department handling your request (and the "
            "ombudsman if you take your file to them) see your information. It is never sold or shared "
            "with third parties.</p><h2>How long</h2><p>Your personal information is destroyed three "
            "years after your request is closed; the anonymised file is kept for statistics.</p>"
            "<h2>Your rights</h2><p>You can ask to see or correct your information by writing to the "
            "person in charge. You can complain to the Commission d'accès à l'information du Québec.</p>",
        },
        Purpose.ACCESSIBILITY: {
            "title": "Accessibility statement",
            "slug": "accessibility",
            "intro": "The city wants every citizen to be able to use this portal, whatever their abilities "
            "and tools.",
            "body": "<h2>Standard</h2><p>The portal aims to conform to the Québec government's standard on "
            "web accessibility (SGQRI 008 2.0), based on the Web Content Accessibility Guidelines (WCAG) "
            "2.1, level AA. Each version is checked with an automated tool (axe-core) and with the "
            "keyboard.</p><h2>What works</h2><ul><li>Every page works without JavaScript.</li>"
            "<li>Forms announce their errors and keep what you typed.</li>"
            "<li>Alerts are announced to screen readers.</li></ul><h2>Known limits</h2><ul><li>PDF "
            "documents attached by some departments may not be accessible; ask the Citizen Service "
            "Centre for an accessible version.</li></ul><h2>Report a barrier</h2><p>If a page keeps you "
            "from information or a service, write or call us: we will answer and fix the page.</p>",
            "shows_contact": True,
        },
    },
}


@transaction.atomic
def information_pages_setup() -> int:
    """Creates the footer's pages missing under each language's home page; returns how many."""
    created = 0
    default = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    originals = {}
    for code in [settings.LANGUAGE_CODE] + [c for c, _n in settings.LANGUAGES if c != settings.LANGUAGE_CODE]:
        locale = Locale.objects.filter(language_code=code).first()
        home = HomePage.objects.filter(locale=locale).first() if locale else None
        if home is None or code not in PAGES:
            continue
        for purpose, content in PAGES[code].items():
            existing = InformationPage.objects.filter(locale=locale, purpose=purpose).first()
            if existing is not None:
                originals.setdefault(purpose, existing)
                continue
            page = InformationPage(locale=locale, purpose=purpose, **content)
            original = originals.get(purpose)
            if original is not None and locale != default:
                page.translation_key = original.translation_key  # the language switch links them
            home.add_child(instance=page)
            page.save_revision().publish()
            originals.setdefault(purpose, page)
            created += 1
    return created

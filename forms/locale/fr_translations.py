# ruff: noqa: E501
"""French translations of the forms app's catalogue; `python forms/locale/fr_translations.py` fills the .po.

Kept as code so that a regenerated catalogue (makemessages) is filled again in one step.
"""

import re
import sys
from pathlib import Path

FR = {
    "Delete this request": "Supprimer cette demande",
    "Request %(reference)s cannot be deleted: only its own department may delete a request, and only before anyone has handled it. After that it is kept as a record.": "La demande %(reference)s ne peut pas être supprimée : seule sa direction peut supprimer une demande, et seulement avant que quiconque l'ait traitée. Elle est ensuite conservée comme document.",
    "Requests": "Demandes",
    "Send at most 3 files.": "Envoyez au plus 3 fichiers.",
    "Subject": "Objet",
    "In a few words, e.g. “Pothole in front of 12 Principale Street”.": "En quelques mots, p. ex. « Nid-de-poule devant le 12, rue Principale ».",
    "Describe your request": "Décrivez votre demande",
    "What happened, where, since when. Do not include health or banking information.": "Ce qui s'est passé, où, depuis quand. N'indiquez aucun renseignement de santé ou bancaire.",
    "Address or location": "Adresse ou lieu",
    "Civic number and street, or the nearest intersection.": "Numéro civique et rue, ou l'intersection la plus proche.",
    "Date it happened": "Date de l'événement",
    "Your name": "Votre nom",
    "E-mail": "Courriel",
    "We send the confirmation and every update here.": "Nous y envoyons la confirmation et chaque mise à jour.",
    "Phone": "Téléphone",
    "Photos or documents (optional)": "Photos ou documents (facultatif)",
    "Up to 3 files: photos (JPEG, PNG, GIF, WebP) or PDF, 10 MB each.": "Jusqu'à 3 fichiers : photos (JPEG, PNG, GIF, WebP) ou PDF, 10 Mo chacun.",
    "I agree that the city uses this information to handle my request.": "J'accepte que la Ville utilise ces renseignements pour traiter ma demande.",
    "Your consent is needed to handle the request.": "Votre consentement est nécessaire pour traiter la demande.",
    "Leave this field empty": "Laissez ce champ vide",
    "How can we reach you?": "Comment vous joindre?",
    "Give an e-mail address, a phone number, or both.": "Indiquez un courriel, un numéro de téléphone, ou les deux.",
    "Your personal information": "Vos renseignements personnels",
    "The city collects your name and contact details only to handle this request and to keep you informed. Only the staff who handle it can see them.": "La Ville recueille votre nom et vos coordonnées uniquement pour traiter cette demande et vous tenir informé. Seul le personnel qui la traite peut les consulter.",
    "They are kept %(years)s years after the request is closed, then destroyed. You can ask to see or correct them from the person in charge of the protection of personal information (Act respecting access to documents held by public bodies and the protection of personal information, as amended by Québec's Law 25).": "Ils sont conservés %(years)s ans après la fermeture de la demande, puis détruits. Vous pouvez demander à les consulter ou à les faire corriger auprès de la personne responsable de la protection des renseignements personnels (Loi sur l'accès aux documents des organismes publics et sur la protection des renseignements personnels, modifiée par la Loi 25).",
    "personal information destroyed at": "renseignements personnels détruits le",
    "Your request": "Votre demande",
    "Enter a phone number, e.g. 418 555-0123.": "Entrez un numéro de téléphone, p. ex. 418 555-0123.",
    "Give an e-mail address or a phone number so that we can reach you.": "Indiquez un courriel ou un numéro de téléphone pour que nous puissions vous joindre.",
    "Reference number": "Numéro de référence",
    "As written in your confirmation e-mail, e.g. RAE-7K3Q-M9XD-4.": "Tel qu'il figure dans votre courriel de confirmation, p. ex. RAE-7K3Q-M9XD-4.",
    "E-mail or phone given with the request": "Courriel ou téléphone donné avec la demande",
    "To see your personal information and the details of the request.": "Pour voir vos renseignements personnels et le détail de la demande.",
    "Channel": "Canal",
    "Type": "Type",
    "Language of the citizen": "Langue du citoyen",
    "Description": "Description",
    "Name": "Nom",
    "The citizen was told why the information is collected and agreed.": "Le citoyen a été informé de la raison de la collecte et y a consenti.",
    "This type of request needs an address or location.": "Ce type de demande exige une adresse ou un lieu.",
    "New status": "Nouveau statut",
    "Note": "Note",
    "Send this note to the citizen (otherwise it stays internal)": "Envoyer cette note au citoyen (sinon elle reste interne)",
    "Department": "Direction",
    "Assigned to": "Assignée à",
    "(no change)": "(aucun changement)",
    "Customer service centre": "Centre de service aux citoyens",
    "Service request": "Demande de service",
    "slug": "identifiant",
    "label (French)": "libellé (français)",
    "label (English)": "libellé (anglais)",
    "help text (French)": "aide (français)",
    "help text (English)": "aide (anglais)",
    "category": "catégorie",
    "department": "direction",
    "The department (French version) that handles these requests.": "La direction (version française) qui traite ces demandes.",
    "target delay (business days)": "délai visé (jours ouvrables)",
    "asks for an address or location": "demande une adresse ou un lieu",
    "asks when it happened": "demande la date de l'événement",
    "allows attachments": "permet les pièces jointes",
    "offered to citizens": "offert aux citoyens",
    "order": "ordre",
    "Labels": "Libellés",
    "Fields of the form": "Champs du formulaire",
    "request type": "type de demande",
    "request types": "types de demande",
    "staff group": "groupe d'employés",
    "department team": "équipe de direction",
    "department teams": "équipes de direction",
    ("request status", "Submitted"): "Soumise",
    ("request status", "Received"): "Reçue",
    ("request status", "In progress"): "En traitement",
    ("request status", "Waiting for the citizen"): "En attente du citoyen",
    ("request status", "Resolved"): "Résolue",
    ("request status", "Closed"): "Fermée",
    "Web form": "Formulaire Web",
    "In person": "En personne",
    "reference": "référence",
    "type": "type",
    "with the department since": "à la direction depuis",
    "assigned to": "assignée à",
    "status": "statut",
    "status changed at": "statut changé le",
    "channel": "canal",
    "language": "langue",
    "subject": "objet",
    "description": "description",
    "address or location": "adresse ou lieu",
    "date it happened": "date de l'événement",
    "name": "nom",
    "e-mail": "courriel",
    "phone": "téléphone",
    "consent given at": "consentement donné le",
    "submitted at": "soumise le",
    "expected by": "prévue pour le",
    "sent from page": "envoyée depuis la page",
    "recorded by": "saisie par",
    "request": "demande",
    "requests": "demandes",
    "Request created": "Demande créée",
    "Status changed": "Statut changé",
    "Public note": "Note publique",
    "Internal note": "Note interne",
    "Assigned": "Assignation",
    "kind": "genre",
    "from": "de",
    "to": "à",
    "note": "note",
    "visible to the citizen": "visible par le citoyen",
    "by": "par",
    "when": "quand",
    "request event": "événement de demande",
    "request events": "événements de demande",
    "attachment": "pièce jointe",
    "attachments": "pièces jointes",
    "Pending": "En attente",
    "Sent": "Envoyé",
    "Failed, will be retried": "Échec, nouvel essai prévu",
    "outgoing e-mail": "courriel sortant",
    "outgoing e-mails": "courriels sortants",
    "Shown": "Affichée",
    "Clicked": "Cliquée",
    "Answered the question": "A répondu à la question",
    "suggestion event": "événement de suggestion",
    "suggestion events": "événements de suggestion",
    "A request that is “%(current)s” cannot become “%(new)s”.": "Une demande « %(current)s » ne peut pas devenir « %(new)s ».",
    "Write the note.": "Rédigez la note.",
    "Back to the queue": "Retour à la file",
    "Request": "Demande",
    "Status": "Statut",
    "Overdue": "En retard",
    "Language": "Langue",
    "since %(date)s": "depuis le %(date)s",
    "Submitted": "Soumise",
    "recorded by %(agent)s": "saisie par %(agent)s",
    "Expected by": "Réponse prévue le",
    "Files": "Fichiers",
    "Personal data": "Renseignements personnels",
    "Hidden: only the handlers of this request can see it.": "Masqués : seules les personnes qui traitent cette demande peuvent les voir.",
    "Handle": "Traiter",
    "Save": "Enregistrer",
    "Timeline and audit trail": "Historique et piste de vérification",
    "When": "Quand",
    "Who": "Qui",
    "What": "Quoi",
    "Visible to the citizen": "Visible par le citoyen",
    "Record a request": "Saisir une demande",
    "Phone, in person or e-mail": "Téléphone, en personne ou courriel",
    "Record the request": "Enregistrer la demande",
    "Thank you": "Merci",
    "Thank you!": "Merci!",
    "We are glad this page answered your question.": "Nous sommes heureux que cette page ait répondu à votre question.",
    "Back to “%(title)s”": "Retour à « %(title)s »",
    "Request sent": "Demande envoyée",
    "Your request has been sent": "Votre demande a été envoyée",
    "Your reference number": "Votre numéro de référence",
    "What happens next": "La suite",
    "Your request goes to the %(department)s.": "Votre demande est confiée à : %(department)s.",
    "We expect to answer by <strong>%(date)s</strong> (business days, statutory holidays excluded).": "Nous prévoyons vous répondre d'ici le <strong>%(date)s</strong> (jours ouvrables, jours fériés exclus).",
    "A confirmation was sent to your e-mail address; you will receive an e-mail at every update.": "Une confirmation a été envoyée à votre adresse courriel; vous recevrez un courriel à chaque mise à jour.",
    "We will call you if we need more information.": "Nous vous appellerons si nous avons besoin de précisions.",
    "Follow your request": "Suivre votre demande",
    "Keep this private link: it shows your request with your personal information.": "Conservez ce lien privé : il affiche votre demande avec vos renseignements personnels.",
    "See the status of my request": "Voir l'état de ma demande",
    r"You can also enter your reference number on the <a href=\"%(status_page)s\">status page</a>.": r"Vous pouvez aussi entrer votre numéro de référence sur la <a href=\"%(status_page)s\">page de suivi</a>.",
    "Make a request": "Faire une demande",
    "Step 1 of 2: describe your need. We will first show you the answers that may already help you.": "Étape 1 de 2 : décrivez votre besoin. Nous vous montrerons d'abord les réponses qui pourraient déjà vous aider.",
    "Please correct the errors below.": "Veuillez corriger les erreurs ci-dessous.",
    "Hello %(name)s,": "Bonjour %(name)s,",
    "Hello,": "Bonjour,",
    "We received your request (%(type)s).": "Nous avons bien reçu votre demande (%(type)s).",
    "Reference number:": "Numéro de référence :",
    "Subject:": "Objet :",
    "We expect to answer by %(date)s (business days, statutory holidays excluded).": "Nous prévoyons vous répondre d'ici le %(date)s (jours ouvrables, jours fériés exclus).",
    "You will receive an e-mail at every update.": "Vous recevrez un courriel à chaque mise à jour.",
    "Follow your request (private link, do not share it):": "Suivre votre demande (lien privé, ne le partagez pas) :",
    "The Citizen Service Centre": "Le Centre de service aux citoyens",
    "Request %(reference)s received": "Demande %(reference)s reçue",
    "Your request %(reference)s is resolved.": "Votre demande %(reference)s est résolue.",
    "Message from the city:": "Message de la Ville :",
    "If the answer does not satisfy you, reply to this e-mail or call us, with your reference number.": "Si la réponse ne vous satisfait pas, répondez à ce courriel ou appelez-nous, avec votre numéro de référence.",
    "Your request %(reference)s is resolved": "Votre demande %(reference)s est résolue",
    "Your request %(reference)s was updated.": "Votre demande %(reference)s a été mise à jour.",
    "Status:": "Statut :",
    "Update on your request %(reference)s": "Mise à jour de votre demande %(reference)s",
    "Didn't find your answer?": "Vous n'avez pas trouvé votre réponse?",
    "Send us a request (%(label)s). You will get a reference number to follow it.": "Envoyez-nous une demande (%(label)s). Vous recevrez un numéro de référence pour la suivre.",
    "This answered my question": "Cela répond à ma question",
    "These answers may help you": "Ces réponses pourraient vous aider",
    "Thank you! We are glad this page answered your question.": "Merci! Nous sommes heureux que cette page ait répondu à votre question.",
    "Continue": "Continuer",
    "This reference number was probably mistyped.": "Ce numéro de référence a probablement été mal tapé.",
    "One character does not match: check each character against your confirmation e-mail.": "Un caractère ne correspond pas : vérifiez chaque caractère dans votre courriel de confirmation.",
    "This is not a reference number.": "Ce n'est pas un numéro de référence.",
    "A reference number looks like RAE-7K3Q-M9XD-4: three letters, then 9 letters or digits.": "Un numéro de référence ressemble à RAE-7K3Q-M9XD-4 : trois lettres, puis 9 lettres ou chiffres.",
    "No request has this reference number.": "Aucune demande ne porte ce numéro de référence.",
    "It is well formed, but we have no request with it. Check it, or call us.": "Il est bien formé, mais aucune demande ne le porte. Vérifiez-le ou appelez-nous.",
    "Find my request": "Trouver ma demande",
    "Check these answers first": "Consultez d'abord ces réponses",
    "They may answer your question right away.": "Elles pourraient répondre tout de suite à votre question.",
    "Not what you need? Complete your request below.": "Ce n'est pas ce qu'il vous faut? Complétez votre demande ci-dessous.",
    "Request not sent": "Demande non envoyée",
    "Your request looks automated and was not sent. If you are a person, go back, leave the hidden field empty and try again, or call us.": "Votre demande semble automatisée et n'a pas été envoyée. Si vous êtes une personne, revenez en arrière, laissez le champ caché vide et réessayez, ou appelez-nous.",
    "Step 2 of 2: the details and how to reach you. Fields marked with an asterisk (*) are required.": "Étape 2 de 2 : les détails et comment vous joindre. Les champs marqués d'un astérisque (*) sont obligatoires.",
    "Your request was not sent. Please correct the following:": "Votre demande n'a pas été envoyée. Veuillez corriger ce qui suit :",
    "Send my request": "Envoyer ma demande",
    "Choose what your request is about. You will get a reference number to follow it.": "Choisissez l'objet de votre demande. Vous recevrez un numéro de référence pour la suivre.",
    "Report a problem or ask for a service": "Signaler un problème ou demander un service",
    "Already made a request? Track it with its reference number.": "Vous avez déjà fait une demande? Suivez-la avec son numéro de référence.",
    "Handled by": "Traitée par",
    "Submitted on": "Soumise le",
    "Timeline": "Historique",
    "Request submitted": "Demande soumise",
    "Status: %(status)s": "Statut : %(status)s",
    "Message from the city": "Message de la Ville",
    "Files sent": "Fichiers envoyés",
    "See the details of your request": "Voir le détail de votre demande",
    "Confirm": "Confirmer",
    "Another request": "Une autre demande",
    "Track a request": "Suivre une demande",
    "Too many attempts": "Trop de tentatives",
    "For everyone's security, we limit the number of attempts. Wait a moment and try again, or call us.": "Pour la sécurité de tous, nous limitons le nombre de tentatives. Attendez un moment et réessayez, ou appelez-nous.",
    "“%(name)s” is larger than 10 MB. Send a smaller file.": "« %(name)s » dépasse 10 Mo. Envoyez un fichier plus petit.",
    "“%(name)s” is empty.": "« %(name)s » est vide.",
    "“%(name)s” is not a photo (JPEG, PNG, GIF, WebP) or a PDF document.": "« %(name)s » n'est ni une photo (JPEG, PNG, GIF, WebP) ni un document PDF.",
    "“%(name)s” is not a readable image.": "« %(name)s » n'est pas une image lisible.",
    "“%(name)s” has too many pixels (%(width)s × %(height)s). Send a smaller photo.": "« %(name)s » compte trop de pixels (%(width)s × %(height)s). Envoyez une photo plus petite.",
    "“%(name)s” has too many pixels. Send a smaller photo.": "« %(name)s » compte trop de pixels. Envoyez une photo plus petite.",
    "“%(name)s” is not a complete PDF document.": "« %(name)s » n'est pas un document PDF complet.",
    ("url", "request/"): "demande/",
    ("url", "request/suggestions/"): "demande/suggestions/",
    ("url", "request/suggestion/<int:page_id>/"): "demande/suggestion/<int:page_id>/",
    ("url", "request/suggestion/<int:page_id>/answered/"): "demande/suggestion/<int:page_id>/repondu/",
    ("url", "request/confirmation/<str:token>/"): "demande/confirmation/<str:token>/",
    ("url", "request/<slug:slug>/"): "demande/<slug:slug>/",
    ("url", "status/"): "suivi/",
    ("url", "status/<str:token>/"): "suivi/<str:token>/",
    "This link is not valid. Check that it was copied completely.": "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.",
    "Too many requests. Wait a minute and try again.": "Trop de requêtes. Attendez une minute et réessayez.",
    "This answer is no longer available.": "Cette réponse n'est plus disponible.",
    "This does not match the e-mail or phone given with the request.": "Cela ne correspond pas au courriel ou au téléphone donné avec la demande.",
    "Request types": "Types de demande",
    "Department teams": "Équipes des directions",
    "Request queue": "File des demandes",
    "Reference": "Référence",
    "Request %(reference)s updated.": "Demande %(reference)s mise à jour.",
    "Request %(reference)s recorded. Give this reference to the citizen.": "Demande %(reference)s enregistrée. Donnez cette référence au citoyen.",
    "Request received": "Demande reçue",
    "You can also find your request with its reference number.": "Vous pouvez aussi retrouver votre demande avec son numéro de référence.",
    "This private link has expired, as the request was closed some time ago. The status is below; to see your personal information, confirm the e-mail or phone given with the request.": "Ce lien privé a expiré, car la demande a été fermée il y a un certain temps. L'état de la demande est ci-dessous; pour voir vos renseignements personnels, confirmez le courriel ou le téléphone indiqué avec la demande.",
}

ENTRY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$')


def po_escape(text: str) -> str:
    return text.replace('"', r"\"") if r"\"" not in text else text


def fill(path: Path) -> list[str]:
    """Writes the French msgstr of every known msgid; returns the msgids still untranslated."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    missing, out = [], []
    for block in blocks:
        fields, order, current = {}, [], None
        comments = []
        for line in block.splitlines():
            match = ENTRY.match(line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
                order.append(current)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
            else:
                comments.append(line)
        if not fields.get("msgid"):
            out.append(block)
            continue
        key = (fields["msgctxt"], fields["msgid"]) if "msgctxt" in fields else fields["msgid"]
        translation = FR.get(key)
        if translation is None:
            missing.append(str(key))
            out.append(block)
            continue
        comments = [line for line in comments if not line.startswith("#, fuzzy")]
        lines = [line for line in comments if line]
        if "msgctxt" in fields:
            lines.append(f'msgctxt "{fields["msgctxt"]}"')
        lines.append(f'msgid "{fields["msgid"]}"')
        lines.append(f'msgstr "{po_escape(translation)}"')
        out.append("\n".join(lines))
    text = "\n\n".join(out)
    text = text.replace(
        '"Content-Type: text/plain; charset=CHARSET\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"'
    )
    path.write_text(text, encoding="utf-8")
    return missing


if __name__ == "__main__":
    root = Path(__file__).resolve().parent
    missing = fill(root / "fr" / "LC_MESSAGES" / "django.po")
    for key in missing:
        print("untranslated:", key, file=sys.stderr)
    sys.exit(1 if missing else 0)

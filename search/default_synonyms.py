"""The synonyms shipped with the portal: how Québec citizens say it ⇒ how the answers say it.

Loaded once by a data migration; editors then own the list in the admin (Snippets → Synonyms).
"""

DEFAULT_SYNONYMS = {
    "fr": [
        ("vidanges, vidange, poubelles, poubelle, déchets, ordures", "ordures ménagères"),
        ("bac à vidanges, bac noir, bac gris", "bac à ordures ménagères"),
        ("bac bleu, recyclables, recycler", "recyclage matières recyclables"),
        ("bac brun, compost, compostage, restes de table, résidus alimentaires", "matières organiques"),
        ("gros déchets, gros rebuts, rebuts, monstres, vieux meubles, divan, sofa, matelas", "encombrants"),
        ("gratte, charrue, souffleuse, tempête de neige, déblaiement", "déneigement"),
        ("abri tempo, tempo", "abri d'auto temporaire"),
        ("char, auto, automobile, voiture", "véhicule"),
        ("remorqué, remorquage, fourrière, towé", "véhicule déplacé"),
        ("ticket, contravention, billet", "constat d'infraction amende"),
        ("trou, trou dans la rue, trou dans l'asphalte", "nid-de-poule chaussée"),
        ("party, tapage, vacarme", "bruit"),
        ("craqué, cassé, fendu, brisé", "brisé"),
        ("mairie, hôtel de ville", "hôtel de ville centre de service aux citoyens"),
        ("déménagement, déménager, déménage", "changement d'adresse"),
        ("taxe de bienvenue", "droits de mutation"),
        ("compte de taxes, taxes", "taxes foncières"),
        ("conseil de ville", "conseil municipal"),
        ("médaille, médaille de chien", "licence"),
        ("job, jobine, emploi étudiant, emploi d'été", "emploi"),
        ("eau bouillie, faire bouillir l'eau", "avis d'ébullition"),
        ("cell, cellulaire, texto", "téléphone cellulaire"),
        ("rdd, produits dangereux", "résidus domestiques dangereux"),
        ("piscine hors terre, piscine creusée, spa", "piscine"),
        ("cabanon, remise", "bâtiment accessoire"),
    ],
    "en": [
        ("trash, rubbish, waste", "garbage"),
        ("blue bin, recyclables", "recycling"),
        ("brown bin, compost, food scraps, food waste", "organic waste"),
        ("junk, bulky waste, old furniture, couch, sofa, mattress", "bulky items"),
        ("pickup, pick up, picked up", "collection"),
        ("plow, plough, snowplow, snowplough, snowstorm, snow storm", "snow removal"),
        ("towed, tow, towing, impound, impounded", "vehicle moved"),
        ("car, auto, truck", "vehicle"),
        ("ticket, fine, parking ticket", "statement of offence"),
        ("fight, dispute, appeal", "contest"),
        ("dog tags, dog tag, pet tag, license", "licence"),
        ("hole in the road, hole in the street", "pothole"),
        ("christmas, new year, holiday", "statutory holidays"),
        ("city hall, town hall", "citizen service centre"),
        ("moving, move house, new address", "change of address"),
        ("party, loud music", "noise"),
        ("tax bill, taxes", "property tax"),
        ("boil water", "boil-water advisory"),
        ("cell, cell phone, cellphone, text message", "mobile phone"),
        ("summer job, student job", "job"),
        ("city council", "council"),
    ],
}


def default_synonyms_load(synonym_model=None) -> int:
    """Adds the default synonyms that are missing (the data migration and fresh test databases)."""
    if synonym_model is None:
        from .models import Synonym as synonym_model
    created = 0
    for language, rules in DEFAULT_SYNONYMS.items():
        for terms, canonical in rules:
            created += synonym_model.objects.get_or_create(
                language=language, terms=terms, defaults={"canonical": canonical}
            )[1]
    return created

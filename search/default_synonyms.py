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
        # Québec municipal vocabulary: how citizens describe a situation ⇒ the answers' words.
        (
            "passé tout droit, collecte oubliée, bac oublié, pas été vidé, bac pas vidé",
            "collecte manquée vidé",
        ),
        ("cols bleus, voirie", "travaux publics"),
        ("dépotoir, dompe, site de dépôt, dépôt de matériaux", "écocentre"),
        (
            "cochonneries, cossins, traîneries, terrain malpropre, cour malpropre, herbe haute",
            "terrain mal entretenu",
        ),
        ("minou, chat perdu, chien perdu, s'est sauvé, sauvé, pas rentré, disparu", "animal perdu retrouver"),
        ("mouffette, moufette, raton, ratons laveurs, marmotte, écureuil, chauve-souris", "animaux sauvages"),
        ("poulailler, poulets", "poules"),
        ("goutte, robinet à sec, coupure d'eau, eau coupée, manque d'eau", "interruption d'eau"),
        ("eau brune, eau rouillée, eau jaune, eau trouble, eau colorée", "qualité de l'eau"),
        (
            "égouts, refoulement, refoule, odeur d'égout, sent les égouts, sous-sol inondé",
            "refoulement d'égout",
        ),
        ("bûcher, couper un arbre, couper mon arbre, abattage", "abattre arbre"),
        ("émonder, émondage, tailler, branches", "élagage"),
        (
            "tourbe, gazon en plaques, nouveau gazon, nouvelle pelouse, ensemencement, gicleurs",
            "arrosage pelouse",
        ),
        ("cèdres, thuyas, haie de cèdres", "haie"),
        ("lumière de rue, lampe de rue, éclairage de rue, poteau de lumière", "lampadaire"),
        ("air climatisé, air clim, clim, climatisation", "climatiseur thermopompe"),
        ("bain tourbillon, bain à remous", "spa"),
        ("feu de camp, foyer extérieur, brûler des feuilles, feu de joie", "feu"),
        ("détecteur de fumée, alarme de feu, alarme de fumée, détecteur", "avertisseur de fumée"),
        ("ramonage, ramoner, cendres", "cheminée"),
        ("banc de neige, bancs de neige, enseveli, enterré dans la neige", "déneigement"),
        ("garage détaché, shed", "cabanon remise"),
        ("revêtement extérieur, déclin, parement, toiture, bardeaux, fenêtres", "rénovation permis"),
        (
            "valeur de ma maison, valeur foncière, rôle d'évaluation, évaluation municipale",
            "évaluation foncière",
        ),
        ("saisie de salaire, saisie, huissier, percepteur, recouvrement, pas les moyens", "amende payer"),
        ("camp d'été, terrain de jeux", "camp de jour"),
        ("patinoire, aréna", "patinage"),
        ("biblio", "bibliothèque"),
        ("musique forte, bruyant, bruyants, fait du bruit, moteur", "bruit"),
        ("minoune, bazou, carcasse, vieux chars", "véhicule"),
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
        # Municipal vocabulary: how citizens describe a situation ⇒ the answers' words.
        (
            "missed pickup, missed collection, skipped, not emptied, forgot my bin, went right by",
            "missed collection",
        ),
        ("dump, drop off, drop-off, paint cans, old paint, batteries, hazardous waste", "ecocentre"),
        (
            "ran off, ran away, runaway, missing pet, missing dog, missing cat, lost dog, lost cat",
            "lost animal",
        ),
        ("skunk, raccoon, raccoons, groundhog, squirrel, bats", "wild animals"),
        ("no water, water shut off, water cut, dry tap, water outage", "water interruption"),
        ("brown water, rusty water, discoloured water, discolored water, yellow water", "water quality"),
        ("sewer backup, sewage backup, flooded basement, basement flooded, sewer smell", "sewer backup"),
        ("buried my car, snowbank, snow bank, snowbanks", "snow removal"),
        ("cut down, chop down, tree removal, fell a tree, cut a tree", "cut tree permit"),
        ("trim, trimming, prune", "pruning"),
        ("street light, streetlamp, lamp post, street lamp", "streetlight"),
        ("sod, new lawn, new grass, sprinkler, sprinklers", "lawn watering"),
        ("garnish, garnishment, wage seizure, bailiff, collection agency, can't afford", "unpaid fine"),
        ("revs, revving, loud engine, loud music, noisy neighbour, noisy neighbor", "noise"),
        ("shed, garden shed, tool shed", "shed"),
        ("siding, roofing, roof, windows, reno, renovate", "renovation permit"),
        ("hot tub, jacuzzi, whirlpool", "spa"),
        ("a/c, air conditioner, air conditioning", "heat pump air conditioner"),
        ("smoke detector, fire alarm", "smoke alarm"),
        ("bonfire, campfire, fire pit, firepit", "fire"),
        ("chimney sweep, ashes, soot", "chimney"),
        ("summer camp", "day camp"),
        ("home value, house value, assessment roll, valuation", "property assessment"),
        ("welcome tax, land transfer tax", "transfer duties"),
        (
            "junk cars, junk car, messy yard, untidy yard, overgrown lawn, tall grass",
            "poorly maintained property",
        ),
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

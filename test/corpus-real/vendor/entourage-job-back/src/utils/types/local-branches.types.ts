export enum SfLocalBranchName {
  NATIONAL = 'National',
  PARIS = 'Paris',
  LILLE = 'Lille',
  LYON = 'Lyon',
  RENNES = 'Rennes',
  SEINE_SAINT_DENIS = 'Seine-Saint-Denis', // deprecated
  HAUTS_DE_SEINE = 'Hauts-de-Seine', // deprecated
  MARSEILLE = 'Marseille', // deprecated
  HZ = 'Hors zone',
  IDF = 'IDF',
  LORIENT = 'Lorient',
  NANTES = 'Nantes',
  BORDEAUX = 'Bordeaux',
  AUTRE_REGION = 'Autre région', // deprecated
  BRETAGNE = 'Bretagne', // deprecated
  SAINT_ETIENNE = 'Saint-Étienne', // deprecated
  TOULOUSE = 'Toulouse', // deprecated
  SAINT_MALO = 'Saint-Malo',
  GRENOBLE = 'Grenoble', // deprecated
  ROUBAIX = 'Roubaix', // deprecated
}

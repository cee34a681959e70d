/** Word lists the demo org is built from. Plain ASCII so usernames need no folding. */

export const FIRST_NAMES = [
  'Amelia', 'Oliver', 'Isla', 'Noah', 'Ava', 'Liam', 'Sofia', 'Lucas', 'Maya', 'Ethan',
  'Chloe', 'Mateo', 'Grace', 'Leo', 'Zara', 'Henry', 'Nora', 'Samuel', 'Ines', 'Daniel',
  'Priya', 'Jonas', 'Elena', 'Felix', 'Hannah', 'Omar', 'Clara', 'Arjun', 'Lena', 'Tomas',
  'Ruby', 'Kenji', 'Freya', 'Diego', 'Alice', 'Malik', 'Julia', 'Sean', 'Yara', 'Victor',
] as const;

export const LAST_NAMES = [
  'Hart', 'Bennett', 'Okafor', 'Lindqvist', 'Moreau', 'Castillo', 'Nakamura', 'Fischer', 'Patel', 'Walsh',
  'Romano', 'Novak', 'Haddad', 'Jensen', 'Silva', 'Murphy', 'Kowalski', 'Dubois', 'Ahmed', 'Sato',
  'Keller', 'Reyes', 'Byrne', 'Larsen', 'Costa', 'Mensah', 'Schmidt', 'Ortega', 'Quinn', 'Varga',
] as const;

export const TITLES = [
  'Customer Service Agent', 'Senior Agent', 'Support Specialist', 'Sales Representative', 'Billing Specialist',
] as const;

export const DEPARTMENTS = ['Customer Support', 'Sales', 'Billing', 'Retention'] as const;

/** Email and username domain of every demo user. */
export const EMAIL_DOMAIN = 'demo-contact-center.example';

export const DIVISION_NAMES = ['Home', 'EMEA Support', 'Americas Sales'] as const;

export const QUEUE_NAMES = ['Support Tier 1', 'Support Tier 2', 'Billing', 'Sales Inbound', 'Retention', 'VIP Care'] as const;

export const GROUP_NAMES = ['Tier 2 Specialists', 'Team Leads', 'Night Shift'] as const;

export const SKILL_NAMES = [
  'Technical Troubleshooting', 'Billing Disputes', 'Retention Offers', 'Hardware Returns', 'Enterprise Accounts', 'Escalations',
] as const;

export const LANGUAGE_NAMES = ['English', 'Spanish', 'French'] as const;

export const ROLE_NAMES = ['Employee', 'Contact Center Agent', 'Supervisor', 'Quality Evaluator', 'Master Admin'] as const;

/** Genesys system presences, in the order Genesys lists them. */
export const SYSTEM_PRESENCES = ['Available', 'Away', 'Busy', 'Offline', 'Idle', 'On Queue', 'Meal', 'Training', 'Meeting'] as const;

/** Authority of the demo org's external ids (an HR system's employee numbers). */
export const EXTERNAL_AUTHORITY = 'hr-system';

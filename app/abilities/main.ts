/*
|--------------------------------------------------------------------------
| Bouncer abilities
|--------------------------------------------------------------------------
|
| Authorization in G-Social lives in policies (app/policies); this file
| stays for abilities that do not belong to a model.
|
*/
export {}

// The size budget's components page: the library and every element.
import { Dense, Sequential } from 'shadernet';
import 'shadernet/components';

console.log(new Sequential(), new Dense({ units: 1 }));
